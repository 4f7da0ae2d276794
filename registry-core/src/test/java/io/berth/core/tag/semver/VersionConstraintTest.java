package io.berth.core.tag.semver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.core.generated.Gen;
import io.berth.core.generated.GeneratedInputs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each form of constraint, npm's treatment of pre-releases, and refusals of what does not parse. */
class VersionConstraintTest {
    private static final List<String> VERSIONS = List.of("0.0.1", "0.0.2", "0.1.0", "0.2.3", "0.2.9", "0.3.0", "1.0.0-alpha", "1.0.0",
            "1.1.0", "1.2.0", "1.2.3-beta.1", "1.2.3", "1.2.4", "1.2.10", "1.3.0-rc.1", "1.3.0", "1.4.0", "1.9.9", "2.0.0-rc.1", "2.0.0",
            "2.0.5", "2.1.0", "3.0.0");

    /** The versions of {@link #VERSIONS} that {@code constraint} admits, pre-releases only where it lets them in. */
    private static List<String> admitted(String constraint, boolean includePreReleases) {
        VersionConstraint parsed = VersionConstraint.parse(constraint);
        return VERSIONS.stream().filter(text -> parsed.admits(SemanticVersion.parse(text).orElseThrow(), includePreReleases)).toList();
    }

    private static List<String> admitted(String constraint) {
        return admitted(constraint, false);
    }

    @Test
    void caretAllowsWhatLeavesTheLeftmostNonZeroPartAlone() {
        assertEquals(List.of("1.2.0", "1.2.3", "1.2.4", "1.2.10", "1.3.0", "1.4.0", "1.9.9"), admitted("^1.2"));
        assertEquals(List.of("1.2.3", "1.2.4", "1.2.10", "1.3.0", "1.4.0", "1.9.9"), admitted("^1.2.3"));
        assertEquals(List.of("0.2.3", "0.2.9"), admitted("^0.2.3"));
        assertEquals(List.of("0.0.1"), admitted("^0.0.1"));
        assertEquals(List.of("0.0.1", "0.0.2"), admitted("^0.0"));
        assertEquals(List.of("0.0.1", "0.0.2", "0.1.0", "0.2.3", "0.2.9", "0.3.0"), admitted("^0.x"));
        assertEquals(List.of("1.0.0", "1.1.0", "1.2.0", "1.2.3", "1.2.4", "1.2.10", "1.3.0", "1.4.0", "1.9.9"), admitted("^1"));
    }

    @Test
    void tildeAllowsPatchUpdatesOrMinorOnesWhenOnlyAMajorIsGiven() {
        assertEquals(List.of("2.0.0", "2.0.5"), admitted("~2.0"));
        assertEquals(List.of("1.2.3", "1.2.4", "1.2.10"), admitted("~1.2.3"));
        assertEquals(List.of("1.2.3", "1.2.4", "1.2.10"), admitted("~>1.2.3"));
        assertEquals(List.of("2.0.0", "2.0.5", "2.1.0"), admitted("~2"));
    }

    @Test
    void comparisonsJoinedBySpacesOrCommasMustAllHold() {
        assertEquals(List.of("1.4.0", "1.9.9"), admitted(">=1.4 <2"));
        assertEquals(List.of("1.4.0", "1.9.9"), admitted(">=1.4, <2"));
        assertEquals(List.of("1.4.0", "1.9.9"), admitted(">= 1.4 < 2"));
        assertEquals(List.of("1.3.0", "1.4.0", "1.9.9", "2.0.0", "2.0.5", "2.1.0", "3.0.0"), admitted(">1.2"));
        assertEquals(List.of("1.2.4", "1.2.10", "1.3.0", "1.4.0", "1.9.9", "2.0.0", "2.0.5", "2.1.0", "3.0.0"), admitted(">1.2.3"));
        assertEquals(List.of("0.0.1", "0.0.2", "0.1.0", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.1.0", "1.2.0", "1.2.3", "1.2.4",
                "1.2.10"), admitted("<=1.2"));
        assertEquals(List.of("0.0.1", "0.0.2", "0.1.0", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.1.0"), admitted("<1.2"));
        assertEquals(List.of("2.0.0", "2.0.5", "2.1.0"), admitted(">=2.0.0 <=2.1.0 !=2.0.1"));
        assertEquals(List.of("2.0.0", "2.1.0"), admitted("2.x !=2.0.5"));
    }

    @Test
    void wildcardsAndPartialVersionsCoverEverythingTheyName() {
        assertEquals(List.of("1.0.0", "1.1.0", "1.2.0", "1.2.3", "1.2.4", "1.2.10", "1.3.0", "1.4.0", "1.9.9"), admitted("1.x"));
        assertEquals(admitted("1.x"), admitted("1.*"));
        assertEquals(admitted("1.x"), admitted("1"));
        assertEquals(List.of("1.2.0", "1.2.3", "1.2.4", "1.2.10"), admitted("1.2.x"));
        assertEquals(admitted("1.2.x"), admitted("=1.2"));
        assertEquals(VERSIONS.stream().filter(text -> !text.contains("-")).toList(), admitted("*"));
        assertEquals(admitted("*"), admitted("x"));
    }

    @Test
    void anExactVersionAdmitsOnlyItself() {
        assertEquals(List.of("1.2.3"), admitted("=1.2.3"));
        assertEquals(List.of("1.2.3"), admitted("1.2.3"));
        assertEquals(List.of("1.2.3"), admitted("v1.2.3"));
        assertEquals(List.of("1.2.3"), admitted("==1.2.3+build.5"), "build metadata does not count");
        assertEquals(List.of("1.2.3-beta.1"), admitted("=1.2.3-beta.1"));
    }

    @Test
    void alternativesAreJoinedByOr() {
        assertEquals(List.of("0.2.3", "0.2.9", "2.0.0", "2.0.5"), admitted("^0.2.3 || ~2.0"));
        assertEquals(List.of("1.0.0", "3.0.0"), admitted("1.0.0||3.0.0"));
    }

    @Test
    void hyphenRangesIncludeBothEnds() {
        assertEquals(List.of("1.2.3", "1.2.4", "1.2.10", "1.3.0", "1.4.0", "1.9.9", "2.0.0"), admitted("1.2.3 - 2.0.0"));
        assertEquals(List.of("1.2.0", "1.2.3", "1.2.4", "1.2.10", "1.3.0", "1.4.0", "1.9.9", "2.0.0", "2.0.5"), admitted("1.2 - 2.0"));
    }

    @Test
    void preReleasesComeInOnlyWhenAskedForOrNamedForTheSameRelease() {
        assertEquals(List.of("1.2.3", "1.2.4", "1.2.10"), admitted("~1.2.3"));
        assertEquals(List.of("1.2.3-beta.1", "1.2.3", "1.2.4", "1.2.10", "1.3.0", "1.4.0", "1.9.9"), admitted(">=1.2.3-beta.1 <2"),
                "the named 1.2.3 pre-release comes in; 1.3.0-rc.1 is a pre-release of another release");
        assertEquals(List.of("1.2.3-beta.1", "1.2.3", "1.2.4", "1.2.10", "1.3.0-rc.1", "1.3.0", "1.4.0", "1.9.9"), admitted("^1.2.3-0", true));
        assertEquals(List.of("1.3.0-rc.1", "1.3.0", "1.4.0", "1.9.9"), admitted(">=1.3.0-rc.1 <2"));
        assertEquals(List.of("1.0.0-alpha", "1.0.0", "1.1.0", "1.2.0", "1.2.3-beta.1", "1.2.3", "1.2.4", "1.2.10", "1.3.0-rc.1",
                "1.3.0", "1.4.0", "1.9.9"), admitted("<2", true).stream().filter(text -> text.startsWith("1.")).toList(),
                "asked for, pre-releases are versions like any other, and <2 stops below 2.0.0-rc.1");
        assertEquals(List.of(), admitted("<2", true).stream().filter(text -> text.startsWith("2.")).toList());
    }

    @Test
    void malformedConstraintsAreRefusedWithAReason() {
        for (String text : new String[] {">=", "1.2.3.4", "=>1.2", "^^1", "1.x.3", "01.2", "1.2-beta", ">=1.2 ||", "|| 1.2", "a.b.c",
                "!=1.x", "1 - 2 - 3", "1.2.3 -", "~", "v", "1.2.3-", ">1.2.3-beta..1", "1.2.3 - ", "\u0000", "1,,,x.y"}) {
            InvalidConstraintException refused = assertThrows(InvalidConstraintException.class, () -> VersionConstraint.parse(text), text);
            assertEquals(false, refused.getMessage().isBlank(), text);
        }
        assertThrows(InvalidConstraintException.class, () -> VersionConstraint.parse("1.2.3 ".repeat(100)));
        assertThrows(InvalidConstraintException.class, () -> VersionConstraint.parse("x".repeat(VersionConstraint.MAX_LENGTH + 1)));
    }

    @Test
    void anEmptyConstraintAdmitsEveryRelease() {
        assertEquals(admitted("*"), admitted(""));
        assertEquals(admitted("*"), admitted("  "));
    }

    /** Whatever is typed into the parameter: a constraint, or a refusal saying why; never another failure. */
    @Test
    void generatedConstraintsParseOrAreRefusedNeverFailOtherwise() {
        Gen<String> pieces = Gen.weighted(
                6, Gen.of("1", "2", "0", "10", "1.2", "1.2.3", "0.0.3", "x", "*", "X", "1.x", "1.2.x", "v1.2", "1.2.3-beta.1", "1.0.0+b",
                        "1.2.3-0", "01", "99999999999999999999999"),
                3, Gen.of("^", "~", "~>", ">", ">=", "<", "<=", "=", "==", "!=", "=>", "^^"),
                3, Gen.of(" ", ",", " || ", "||", " - ", "-", ".", "|"),
                1, Gen.string("0123456789.xX*^~<>=!|-, +vV_abc\u0000\t", 0, 8));
        Gen<String> constraints = pieces.list(0, 12).map(parts -> String.join("", parts));
        SemanticVersion probe = SemanticVersion.parse("1.2.3").orElseThrow();
        GeneratedInputs.check(20_000, constraints, text -> {
            Optional<VersionConstraint> parsed;
            try {
                parsed = Optional.of(VersionConstraint.parse(text));
            } catch (InvalidConstraintException refused) {
                parsed = Optional.empty();
            }
            parsed.ifPresent(constraint -> {
                constraint.admits(probe, false);
                constraint.admits(probe, true);
            });
        });
    }
}
