// Reads items of practica's DynamoDB table with the official AWS SDK for JavaScript v3
// (@aws-sdk/client-dynamodb from tests/stand-ins/node_modules), for test_wire.py.
//
// stdin: a JSON list of reads, each {"op": "GetItem" | "Query", "input": {...}} with the input as
// the DynamoDB API documents it (TableName, Key / KeyConditionExpression, AttributeValues as
// {"S": ...}). stdout: one JSON object {"sdk": version, "results": [...]}, one result per read:
// the Item (null when there is none) for GetItem, every page's Items for Query. Attribute values
// stay in DynamoDB's wire shape, so the test can compare them with what boto3 reads.
//
// The endpoint, region and credentials come from the environment that
// tests/services/run_with.py sets (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, AWS_ACCESS_KEY_ID, ...),
// and the SDK signs its requests (moto checks the signatures).
import { createRequire } from "node:module";

// The SDK lives in tests/stand-ins/node_modules, which is not on this file's resolution path.
const require = createRequire(new URL("../stand-ins/package.json", import.meta.url));
const { DynamoDBClient, GetItemCommand, paginateQuery } = require("@aws-sdk/client-dynamodb");
const { version } = require("@aws-sdk/client-dynamodb/package.json");

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function run(client, { op, input }) {
  if (op === "GetItem") {
    const output = await client.send(new GetItemCommand(input));
    return output.Item ?? null;
  }
  if (op === "Query") {
    const items = [];
    for await (const page of paginateQuery({ client }, input)) items.push(...(page.Items ?? []));
    return items;
  }
  throw new Error(`unknown op ${op}`);
}

const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
if (!endpoint || !process.env.AWS_REGION) {
  console.error("AWS_ENDPOINT_URL_DYNAMODB and AWS_REGION must be set (run under run_with.py)");
  process.exit(2);
}
const client = new DynamoDBClient({ endpoint, region: process.env.AWS_REGION, maxAttempts: 3 });
try {
  const reads = JSON.parse(await readStdin());
  const results = [];
  for (const read of reads) results.push(await run(client, read));
  process.stdout.write(JSON.stringify({ sdk: version, results }) + "\n");
} finally {
  client.destroy();
}
