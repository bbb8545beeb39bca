// Test fixture (KubernetesSchemaTest): validates Kubernetes manifests (a multi-document YAML on
// stdin, e.g. `kubectl kustomize deploy/k8s/postgres`) against the Kubernetes API's JSON schemas as
// packaged by kubernetes-models. Prints one JSON line: {"valid": ["Kind/name", ...], "errors": [...]}
// and exits 1 when any document is invalid or of a kind it has no schema for.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
});

const valid = [];
const errors = [];
for (const doc of parseAllDocuments(input)) {
  if (doc.errors.length) {
    errors.push(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const object = doc.toJS();
  if (object === null || object === undefined) continue;
  const name = `${object.kind}/${object.metadata?.name}`;
  const [group, version] = object.apiVersion.includes("/")
    ? object.apiVersion.split("/")
    : ["", object.apiVersion];
  const module = `kubernetes-models/${group ? `${group}/` : ""}${version}/${object.kind}`;
  let Model;
  try {
    Model = (await import(module))[object.kind];
  } catch {
    errors.push(`${name}: no schema for ${object.apiVersion} ${object.kind}`);
    continue;
  }
  try {
    new Model(object).validate();
    valid.push(name);
  } catch (e) {
    errors.push(`${name}: ${e.message}`);
  }
}
console.log(JSON.stringify({ valid, errors }));
process.exit(errors.length ? 1 : 0);
