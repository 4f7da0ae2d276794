package io.berth.core.tag.semver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Semantic Versioning 2.0.0 precedence and grammar, as tags spell versions. */
class SemanticVersionTest {

    private static SemanticVersion v(String text) {
        return SemanticVersion.parse(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }

    @Test
    void precedenceFollowsTheSpecificationsExample() {
        // The specification's own chain (section 11).
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0");
        List<SemanticVersion> shuffled = new ArrayList<>(ordered.stream().map(SemanticVersionTest::v).toList());
        Collections.shuffle(shuffled, new java.util.Random(7));
        Collections.sort(shuffled);
        assertEquals(ordered, shuffled.stream().map(SemanticVersion::toString).toList());
    }

    @Test
    void numericIdentifiersSortBelowAlphanumericOnesAndNumerically() {
        assertTrue(v("1.0.0-2").compareTo(v("1.0.0-11")) < 0, "numeric identifiers compare as numbers");
        assertTrue(v("1.0.0-11").compareTo(v("1.0.0-a")) < 0, "numeric below alphanumeric");
        assertTrue(v("1.0.0-a1").compareTo(v("1.0.0-a11")) < 0, "alphanumeric ones in ASCII order");
        assertTrue(v("1.0.0-B").compareTo(v("1.0.0-a")) < 0, "ASCII: upper case first");
        assertTrue(v("1.0.0-1-2").compareTo(v("1.0.0-1")) > 0, "a hyphen makes an identifier alphanumeric");
        assertTrue(v("1.0.0-alpha").compareTo(v("1.0.0-alpha.0")) < 0, "fewer identifiers first when the rest are equal");
        assertTrue(v("99999999999999999999.0.0").compareTo(v("9.0.0")) > 0, "numbers have no size limit");
    }

    @Test
    void buildMetadataIsKeptButIgnoredForPrecedence() {
        assertEquals(0, v("1.0.0+build.1").compareTo(v("1.0.0+build.2")));
        assertEquals(0, v("1.0.0-rc.1+001").compareTo(v("1.0.0-rc.1")));
        assertEquals("exp.sha.5114f85", v("1.0.0+exp.sha.5114f85").build());
        // Tags cannot hold '+': Helm writes it as '_'.
        assertEquals("build.7", v("1.2.3_build.7").build());
        assertEquals(0, v("1.2.3_build.7").compareTo(v("1.2.3")));
        assertEquals("0012", v("1.0.0+0012").build(), "leading zeros are fine in build metadata");
    }

    @Test
    void anOptionalVPrefixIsRead() {
        assertEquals(v("1.2.3"), v("v1.2.3"));
        assertEquals(0, v("V1.2.3-rc.1").compareTo(v("1.2.3-rc.1")));
        assertEquals(Optional.empty(), SemanticVersion.parse("vv1.2.3"));
        assertEquals(Optional.empty(), SemanticVersion.parse("version1.2.3"));
    }

    @Test
    void whatIsNotASemanticVersionIsRefused() {
        for (String text : new String[] {"", "v", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "1.2.3-01", "1.2.3-",
                "1.2.3-a..b", "1.2.3+", "1.2.3+a..b", "1.2.3-a_b_c", "latest", "1.2.x", "-1.2.3", "1.2.-3", " 1.2.3", "1.2.3 ",
                "1.2.3-ä", "1.2.3-a+b+c", "a.b.c", "1.2.3_", "1..3"}) {
            assertEquals(Optional.empty(), SemanticVersion.parse(text), text);
        }
        for (String text : new String[] {"0.0.0", "1.2.3-0", "1.2.3-0a", "1.2.3-a-", "1.2.3--", "1.2.3-x.7.z.92", "1.0.0-alpha+001"}) {
            assertTrue(SemanticVersion.parse(text).isPresent(), text);
        }
    }
}
