package io.berth.api.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The HTTPS listener's key manager: it hands each handshake the certificate of the current
 * generation, and a rotation swaps the generation without touching the listener. (Rebuilding the
 * listener's TLS context instead leaves a moment in which new connections are dropped.) Aliases carry
 * their generation, so a handshake that chose an alias just before a swap still gets that alias's own
 * chain and key, never a mix of two.
 */
final class RotatingKeyManager extends X509ExtendedKeyManager {
    /** Generations kept for handshakes in flight: a handshake takes milliseconds, a rotation minutes apart. */
    private static final int KEPT = 4;

    private final Map<Integer, X509KeyManager> generations = new LinkedHashMap<>();
    private volatile int current;

    RotatingKeyManager(X509KeyManager first) {
        generations.put(0, first);
    }

    /** Makes {@code next} the key material of every handshake from now on. */
    synchronized void rotate(X509KeyManager next) {
        int generation = current + 1;
        generations.put(generation, next);
        if (generations.size() > KEPT) {
            generations.remove(generations.keySet().iterator().next());
        }
        current = generation;
    }

    private synchronized X509KeyManager generation(int generation) {
        return generations.get(generation);
    }

    private String tagged(int generation, String alias) {
        return alias == null ? null : generation + ":" + alias;
    }

    private X509KeyManager of(String alias) {
        int colon = alias == null ? -1 : alias.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            return generation(Integer.parseInt(alias.substring(0, colon)));
        } catch (NumberFormatException notOurs) {
            return null;
        }
    }

    private static String untagged(String alias) {
        return alias.substring(alias.indexOf(':') + 1);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        int generation = current;
        X509KeyManager manager = generation(generation);
        String alias = manager instanceof X509ExtendedKeyManager extended
                ? extended.chooseEngineServerAlias(keyType, issuers, engine)
                : manager.chooseServerAlias(keyType, issuers, null);
        return tagged(generation, alias);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        int generation = current;
        return tagged(generation, generation(generation).chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        int generation = current;
        String[] aliases = generation(generation).getServerAliases(keyType, issuers);
        if (aliases == null) {
            return null;
        }
        String[] tagged = new String[aliases.length];
        for (int i = 0; i < aliases.length; i++) {
            tagged[i] = tagged(generation, aliases[i]);
        }
        return tagged;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        X509KeyManager manager = of(alias);
        return manager == null ? null : manager.getCertificateChain(untagged(alias));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        X509KeyManager manager = of(alias);
        return manager == null ? null : manager.getPrivateKey(untagged(alias));
    }

    /** A server's key manager: it never authenticates as a client. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
