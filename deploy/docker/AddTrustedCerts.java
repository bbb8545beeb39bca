import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;

/**
 * Build-time helper of the Dockerfile (run by the JDK's source launcher, never shipped): writes a
 * PKCS12 truststore that trusts the JDK's own certificate authorities plus every certificate of a
 * PEM bundle, so that Maven's downloads work behind a TLS-intercepting proxy.
 *
 * <pre>
 *   java AddTrustedCerts.java BUNDLE.pem OUT.p12          the JDK's CAs + the bundle
 *   java AddTrustedCerts.java --only BUNDLE.pem OUT.p12   the bundle alone
 * </pre>
 *
 * Written in Java on purpose: keytool imports one certificate per run, and one JVM start per
 * certificate of a system bundle (about 150) takes minutes; this is one start. The store has no
 * password and no integrity MAC, like the JDK's own cacerts.
 */
class AddTrustedCerts {
  public static void main(String[] args) throws Exception {
    boolean only = args.length == 3 && args[0].equals("--only");
    if (args.length != (only ? 3 : 2)) {
      System.err.println("usage: java AddTrustedCerts.java [--only] BUNDLE.pem OUT.p12");
      System.exit(2);
    }
    Path bundle = Path.of(args[only ? 1 : 0]);
    Path out = Path.of(args[only ? 2 : 1]);
    System.setProperty("keystore.pkcs12.certProtectionAlgorithm", "NONE");
    System.setProperty("keystore.pkcs12.macAlgorithm", "NONE");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int defaults = 0;
    if (!only) {
      Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
      KeyStore jdk = KeyStore.getInstance(cacerts.toFile(), (char[]) null);
      for (String alias : Collections.list(jdk.aliases())) {
        if (jdk.isCertificateEntry(alias)) {
          store.setCertificateEntry(alias, jdk.getCertificate(alias));
          defaults++;
        }
      }
    }
    int added = 0;
    try (InputStream in = Files.newInputStream(bundle)) {
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        if (store.getCertificateAlias(cert) != null) continue; // already trusted
        String subject = ((X509Certificate) cert).getSubjectX500Principal().getName();
        store.setCertificateEntry("bundle-" + added + ": " + subject, cert);
        added++;
      }
    }
    if (added == 0 && only) throw new IllegalArgumentException(bundle + " holds no certificate");
    try (var os = Files.newOutputStream(out)) {
      store.store(os, new char[0]);
    }
    System.err.printf("truststore %s: %d JDK CAs + %d from %s%n", out, defaults, added, bundle);
  }
}
