package io.berth.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A signing key given as a PEM file (berth.auth.signing-key), as operators of several nodes provide it. */
class SigningKeysTest {

    @TempDir
    Path work;

    @Test
    void aPkcs8PemFileGivesTheKeyPairAndAStableKeyId() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path pem = work.resolve("signing.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");

        SigningKeys.SigningKey key = SigningKeys.fromFile(pem.toString());
        assertEquals(pair.getPublic(), key.publicKey());
        assertEquals(key.keyId(), SigningKeys.fromFile(pem.toString()).keyId());
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key.privateKey());
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(pair.getPublic());
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signer.sign()));
    }

    @Test
    void anythingElseIsRefusedWithAClearMessage() throws Exception {
        Path garbage = Files.writeString(work.resolve("garbage.pem"), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> SigningKeys.fromFile(garbage.toString()));
        assertTrue(refused.getMessage().contains("PKCS#8"), refused.getMessage());
        assertThrows(RuntimeException.class, () -> SigningKeys.fromFile(work.resolve("missing.pem").toString()));
    }
}
