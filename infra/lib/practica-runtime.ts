// What a practica process on AWS needs, whichever compute runs it (Lambda or Fargate): the
// environment that points its stores at the table and the database, and the IAM statements that
// allow exactly the calls those stores make.
import * as iam from 'aws-cdk-lib/aws-iam';
import { Data } from './data';

// Every DynamoDB action the adapters call (src/aws/dynamodb.cc, src/store/dynamodb/): reads and
// conditional writes of single items, Query (also on the "due" index), the batch calls,
// DeleteItem, and DescribeTable for the start-up and readiness checks. Not CreateTable:
// the table is made here, and `practica migrate` finds it.
export const kTableActions = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DescribeTable',
];

export function practicaAccess(data: Data): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'Table',
      actions: kTableActions,
      resources: [data.table.tableArn, `${data.table.tableArn}/index/due`],
    }),
    new iam.PolicyStatement({
      sid: 'DatabaseSecret',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [data.databaseSecret.secretArn],
    }),
  ];
}

// The store settings as practica reads them (README.md, "More"); `extra` adds what differs
// between computes.
export function practicaEnvironment(
  data: Data,
  extra: Record<string, string>,
): Record<string, string> {
  return {
    PRACTICA_CONTENT_STORE: `dynamodb:${data.table.tableName}`,
    PRACTICA_PROGRESS_STORE: `dynamodb:${data.table.tableName}`,
    PRACTICA_USER_STORE: `postgres:secret:${data.databaseSecret.secretArn}`,
    PRACTICA_LOG_LEVEL: 'info',
    ...extra,
  };
}
