# TEST FIXTURE (deploy/test/standins.sh): stands in for maven:3.9-eclipse-temurin-25 where no image
# registry is reachable. Debian's Maven on this machine's JDK 25, laid out like the real image.
FROM debian:bookworm-slim
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    MAVEN_HOME=/usr/share/maven \
    LANG=C.UTF-8
COPY jdk /opt/java/openjdk
COPY AddTrustedCerts.java /tmp/
# The JDK trusts the public CAs of Debian's ca-certificates, like Temurin's own cacerts: not those
# this machine added, so a build behind an intercepting proxy needs the Dockerfile's `ca` secret as it
# would on the real image. Debian's Maven asks for a Java runtime package: a local package named
# after the JDK provides it, so apt does not install a second JDK.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -f "$JAVA_HOME/lib/security/cacerts" \
 && java /tmp/AddTrustedCerts.java --only /etc/ssl/certs/ca-certificates.crt "$JAVA_HOME/lib/security/cacerts" \
 && mkdir -p /tmp/jdk-package/DEBIAN \
 && printf '%s\n' 'Package: standin-temurin-25' 'Version: 25' 'Architecture: all' \
      'Maintainer: goosed tests' 'Provides: java7-runtime-headless, java8-runtime-headless' \
      'Description: stand-in: the JDK in /opt/java/openjdk' >/tmp/jdk-package/DEBIAN/control \
 && dpkg-deb --build /tmp/jdk-package /tmp/jdk.deb >/dev/null && dpkg -i /tmp/jdk.deb \
 && apt-get install -y --no-install-recommends maven \
 && rm -rf /var/lib/apt/lists/* /tmp/*
CMD ["mvn"]
