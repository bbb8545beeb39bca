package goose.approval;

import java.util.List;

/**
 * Command lines with a secret in them, each secret containing {@link #MARKER}: what the audit must
 * never show (used by RedactorTest, and through a real server by the server's tests).
 */
public final class SecretCorpus {
  public static final String MARKER = "S3CRET";

  private SecretCorpus() {}

  public static final List<String> COMMANDS =
      List.of(
          "mysql -u root -pS3CRETpw db",
          "mysqldump -uroot -pS3CRETpw --all-databases > dump.sql",
          "mariadb -h db -pS3CRET",
          "sshpass -p S3CRETpw ssh admin@host uptime",
          "sshpass -pS3CRETpw scp a host:/b",
          "SSHPASS=S3CRET sshpass -e ssh host",
          "az login --service-principal -u app --client-secret S3CRETvalue --tenant t",
          "gcloud auth --client-secret=S3CRETvalue",
          "tool --token=S3CRETtoken",
          "tool --token S3CRETtoken --verbose",
          "tool --api-key S3CRETkey",
          "tool --api_key=S3CRETkey",
          "aws configure set aws_secret_access_key S3CRETaws && aws s3 ls --secret-access-key S3CRETaws2",
          "docker login -u bob -p S3CRETpw registry.example.com",
          "docker login --password S3CRETpw",
          "redis-cli -h cache -a S3CRETpw PING",
          "sqlcmd -S db -U sa -P S3CRETpw",
          "curl -u bob:S3CRETpw https://api.example.com",
          "curl --user bob:S3CRETpw https://api.example.com",
          "smbclient //srv/share -U bob%S3CRETpw",
          "curl -H 'Authorization: Digest username=\"bob\", response=\"S3CRET\"' https://x",
          "curl -H \"Cookie: session=S3CRETsession\" https://x",
          "curl -H 'X-Api-Key: S3CRETkey' https://x",
          "curl https://api.example.com/v1?api_key=S3CRETkey&page=2",
          "curl 'https://bucket.s3.amazonaws.com/o?X-Amz-Signature=S3CRETsig&X-Amz-Expires=60'",
          "git clone https://oauth2:S3CRETtoken@gitlab.example.com/g/r.git",
          "git clone https://S3CRETtoken0123456789abcdef@github.com/o/r.git",
          "openssl pkcs12 -in a.p12 -passin pass:S3CRETpw -out a.pem",
          "gpg --batch --passphrase S3CRETphrase -d f.gpg",
          "PGPASSWORD=S3CRETpw psql -h db",
          "export GITHUB_TOKEN=S3CRETtoken",
          "MYSQL_PWD=S3CRETpw mysql",
          "psql postgresql://app:S3CRETpw@db:5432/app",
          "echo '{\"password\": \"S3CRETpw\"}' > config.json",
          "printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\\nS3CRETkeymaterial\\n-----END OPENSSH PRIVATE KEY-----' > id",
          "htpasswd -b -B users bob S3CRET --password S3CRETpw",
          "kubectl create secret generic x --from-literal=password=S3CRETpw");
}
