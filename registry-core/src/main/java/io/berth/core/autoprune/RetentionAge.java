package io.berth.core.autoprune;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An age as Quay's policies write it: a whole number and a unit, {@code s}, {@code m}, {@code h},
 * {@code d} or {@code w} ({@code 12h}, {@code 7d}, {@code 2w}); at most about a hundred years.
 */
public final class RetentionAge {
    private static final Pattern FORM = Pattern.compile("([0-9]{1,7})([smhdw])");
    private static final Duration LONGEST = Duration.ofDays(36_500);

    private RetentionAge() {
    }

    public static Optional<Duration> parse(String text) {
        Matcher form = FORM.matcher(text);
        if (!form.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(form.group(1));
        Duration age = switch (form.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofDays(7 * amount);
        };
        return amount == 0 || age.compareTo(LONGEST) > 0 ? Optional.empty() : Optional.of(age);
    }
}
