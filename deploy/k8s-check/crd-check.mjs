// Checks custom resources against the CRD schemas of their operators, offline:
//  1. the schema itself (types, enums, required fields, patterns), through the validators that
//     kubernetes-models compiled from each operator's published CRDs;
//  2. unknown fields, which a CRD schema lets through (the API server prunes them silently):
//     each resource becomes a TypeScript object literal typed with its kubernetes-models
//     interface, and TypeScript's excess-property check names every field the CRD does not define.
// Usage: node crd-check.mjs resources.json   (a JSON array of {where, resource})
// Prints one JSON array of problems {where, problem}; exit 0 either way (the caller judges).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
// apiVersion/kind -> module (under node_modules) exporting the class and its I<kind> interface
const MODELS = {
  "kafka.strimzi.io/v1beta2/KafkaTopic": "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaTopic",
  "kafka.strimzi.io/v1beta2/KafkaUser": "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaUser",
  "keda.sh/v1alpha1/ScaledObject": "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject",
  "keda.sh/v1alpha1/TriggerAuthentication": "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication",
  "postgresql.cnpg.io/v1/Cluster": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster",
  "postgresql.cnpg.io/v1/Database": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Database",
  "monitoring.coreos.com/v1/ServiceMonitor": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor",
};

const items = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const problems = [];
const typed = [];
for (const { where, resource } of items) {
  const key = `${resource.apiVersion}/${resource.kind}`;
  const module = MODELS[key];
  if (!module) {
    problems.push({ where, problem: `no CRD schema known for ${key}` });
    continue;
  }
  const exported = await import(module);
  const Model = exported[resource.kind];
  try {
    new Model(resource).validate();
  } catch (e) {
    problems.push({ where, problem: `schema: ${e.message}` });
  }
  typed.push({ where, module, kind: resource.kind, resource });
}

// one .ts file, one typed constant per resource; each diagnostic is mapped back by line
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crd-check-"));
const file = path.join(dir, "resources.ts");
const lines = [];
const owners = [];
typed.forEach((t, i) => {
  lines.push(`import type { I${t.kind} as T${i} } from ${JSON.stringify(t.module)};`);
  owners.push(null);
});
typed.forEach((t, i) => {
  const body = `export const r${i}: T${i} = ${JSON.stringify(t.resource, null, 1)};`.split("\n");
  for (const l of body) { lines.push(l); owners.push(t.where); }
});
fs.writeFileSync(file, lines.join("\n"));
const program = ts.createProgram([file], {
  noEmit: true, strict: true, skipLibCheck: true, module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
  typeRoots: [], types: [], baseUrl: here, paths: { "*": [path.join(here, "node_modules", "*")] },
});
for (const d of ts.getPreEmitDiagnostics(program)) {
  const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
  const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
  const where = line >= 0 && owners[line] ? owners[line] : "(typescript)";
  const field = line >= 0 ? lines[line].trim() : "";
  problems.push({ where, problem: `unknown field or wrong type: ${text} at ${field}` });
}
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(problems));
