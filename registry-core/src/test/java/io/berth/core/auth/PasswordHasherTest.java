package io.berth.core.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String hash = PasswordHasher.hash("correct horse battery staple");
        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
        assertTrue(PasswordHasher.verify("correct horse battery staple", hash));
        assertFalse(PasswordHasher.verify("correct horse battery stapl", hash));
        assertFalse(PasswordHasher.verify("", hash));
    }

    @Test
    void equalPasswordsGetDifferentSalts() {
        assertNotEquals(PasswordHasher.hash("same password"), PasswordHasher.hash("same password"));
    }

    @Test
    void hashesNameTheirOwnParameters() {
        // A hash made with other costs still verifies: raising the defaults later keeps old hashes valid.
        byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(1024).withIterations(1).withParallelism(1).build());
        byte[] hash = new byte[32];
        generator.generateBytes("older password".getBytes(StandardCharsets.UTF_8), hash);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String encoded = "$argon2id$v=19$m=1024,t=1,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        assertTrue(PasswordHasher.verify("older password", encoded));
        assertFalse(PasswordHasher.verify("older password", encoded.replace("t=1", "t=2")));
    }

    @Test
    void malformedHashesNeverVerify() {
        for (String malformed : new String[] {"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=16$m=1,t=1,p=1$$",
                "$argon2id$v=19$m=x,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=1024,t=1,p=1$!!$aGFzaA", "$argon2id$v=19$q=1$c2FsdA$aGFzaA"}) {
            assertFalse(PasswordHasher.verify("password", malformed), malformed);
        }
    }
}
