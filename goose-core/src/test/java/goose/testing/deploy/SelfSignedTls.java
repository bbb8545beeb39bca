package goose.testing.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * A self-signed certificate for 127.0.0.1, made with the JDK's keytool, written as the PEM files
 * nginx reads, plus an {@link SSLContext} that trusts exactly that certificate. keytool runs once
 * per test JVM (a JVM of its own, C1 alone, and a P-256 EC key: 0.7 s of CPU, where an RSA key's
 * prime search took twice that); every caller gets the same certificate in its own directory.
 */
public record SelfSignedTls(Path certificate, Path privateKey, SSLContext clientContext) {
  private static @Nullable KeyPairDer made;

  /** The certificate and its private key, DER-encoded. */
  private record KeyPairDer(byte[] certificate, byte[] privateKey) {}

  public static SelfSignedTls create(Path dir) throws Exception {
    KeyPairDer pair = keyPair();
    Path certFile = dir.resolve("goosed.crt");
    Path keyFile = dir.resolve("goosed.key");
    Files.writeString(certFile, pem("CERTIFICATE", pair.certificate()));
    Files.writeString(keyFile, pem("PRIVATE KEY", pair.privateKey())); // PKCS#8

    Certificate cert =
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pair.certificate()));
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("goosed", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return new SelfSignedTls(certFile, keyFile, context);
  }

  private static synchronized KeyPairDer keyPair() throws Exception {
    KeyPairDer pair = made;
    if (pair == null) {
      Path dir = Files.createTempDirectory("self-signed-tls");
      try {
        pair = generate(dir);
      } finally {
        Files.deleteIfExists(dir.resolve("tls.p12"));
        Files.deleteIfExists(dir);
      }
      made = pair;
    }
    return pair;
  }

  private static KeyPairDer generate(Path dir) throws Exception {
    Path store = dir.resolve("tls.p12");
    char[] password = "changeit".toCharArray();
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-J-XX:TieredStopAtLevel=1",
                "-genkeypair",
                "-alias",
                "goosed",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(password),
                "-keypass",
                new String(password))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
      throw new IllegalStateException("keytool failed: " + output);

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, password);
    }
    Certificate cert = keys.getCertificate("goosed");
    PrivateKey key = (PrivateKey) keys.getKey("goosed", password);
    return new KeyPairDer(cert.getEncoded(), key.getEncoded());
  }

  private static String pem(String type, byte[] der) throws IOException {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
