// Admin commands in the VPC (admin-commands.ts): a function from the zip that answers only admin
// events, run with the migrate command by a custom resource on every deploy of new code, before
// the API and the ingest function are updated.
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { kMigrateEvent, kMigrateHandlerCode } from '../lib/admin-commands';
import { kVariants, resourcesOf, Synthesis, synthesize } from './synth';

const variants = Object.entries(kVariants).map(
  ([name, context]) => [name, synthesize(context)] as [string, Synthesis],
);

const imported = (pattern: string) => ({ 'Fn::ImportValue': expect.stringMatching(pattern) });

describe.each(variants)('%s', (_name, synthesis) => {
  const api = synthesis.templates.api;
  const functions = resourcesOf(api, 'AWS::Lambda::Function');
  const [adminId, admin] = functions.find(([id]) => id.startsWith('AdminFunction'))!;
  const [, onDeploy] = functions.find(([id]) => id.startsWith('AdminMigrateOnDeploy'))!;
  const [migrationId, migration] = resourcesOf(api, 'Custom::PracticaMigrate')[0]!;
  const statementsOf = (roleId: string) =>
    resourcesOf(api, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties!.Roles).includes(roleId))
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement);

  it('runs the zip in the VPC, answering admin commands only', () => {
    expect(admin.Properties).toMatchObject({
      Runtime: 'provided.al2023',
      Handler: 'bootstrap',
      VpcConfig: { SecurityGroupIds: [imported('NetworkCompute')] },
    });
    expect(admin.Properties!.Environment.Variables.PRACTICA_LAMBDA_HANDLER).toBe('admin');
    // Nothing invokes it but IAM principals allowed to: no permission for any service.
    const permissions = resourcesOf(api, 'AWS::Lambda::Permission').filter(
      ([, p]) => JSON.stringify(p.Properties!.FunctionName).includes(adminId),
    );
    expect(permissions).toEqual([]);
    expect(resourcesOf(api, 'AWS::Lambda::Url')).toEqual([]);
  });

  it('may migrate the table (no item access) and read the database secret', () => {
    const roleId = admin.Properties!.Role['Fn::GetAtt'][0];
    const statements = statementsOf(roleId);
    expect(statements.map((s: any) => s.Sid).sort()).toEqual([
      'DatabaseSecret',
      'Logs',
      'TableMigration',
      'VpcNetworkInterfaces',
    ]);
    expect(statements.find((s: any) => s.Sid === 'TableMigration')).toMatchObject({
      Action: ['dynamodb:CreateTable', 'dynamodb:DescribeTable'],
      Resource: imported('DataTable.*Arn'),
    });
  });

  it('is invoked with migrate on deploy, by a function that may invoke it alone', () => {
    expect(migration.Properties!.ServiceToken['Fn::GetAtt'][0]).toMatch(/^AdminMigrateOnDeploy/);
    expect(migration.Properties!.ZipSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(onDeploy.Properties!.Environment.Variables.ADMIN_FUNCTION).toEqual({ Ref: adminId });
    const roleId = onDeploy.Properties!.Role['Fn::GetAtt'][0];
    const invoke = statementsOf(roleId).filter((s: any) => s.Sid === 'InvokeAdmin');
    expect(invoke).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [adminId, 'Arn'] },
      }),
    ]);
  });

  it('migrates before the API and the ingest function are created or updated', () => {
    const resources = api.toJSON().Resources;
    const dependents = Object.entries(resources)
      .filter(([, r]: [string, any]) => [r.DependsOn].flat().includes(migrationId))
      .map(([id, r]: [string, any]) => `${r.Type} ${id.replace(/[0-9A-F]{8}$/, '')}`)
      .sort();
    // Container mode: the service, and with it its scaling target and policy.
    expect(dependents.filter((d) => !d.includes('ApplicationAutoScaling'))).toEqual(
      synthesis.settings.mode === 'serverless'
        ? ['AWS::Lambda::Function ApiFunction', 'AWS::Lambda::Function IngestFunction']
        : ['AWS::ECS::Service ApiService', 'AWS::Lambda::Function IngestFunction'],
    );
  });
});

// The custom resource's handler, run as Lambda would run it, against a stand-in Lambda client and
// a local server in place of CloudFormation's pre-signed response URL.
describe('the migrate-on-deploy handler', () => {
  async function run(
    event: Record<string, unknown>,
    answer: { FunctionError?: string; Payload: string } | Error,
  ) {
    const invoked: any[] = [];
    const client = {
      LambdaClient: class {
        async send(command: any) {
          invoked.push(command.input);
          if (answer instanceof Error) throw answer;
          return { FunctionError: answer.FunctionError, Payload: Buffer.from(answer.Payload) };
        }
      },
      InvokeCommand: class {
        constructor(readonly input: unknown) {}
      },
    };
    const responses: any[] = [];
    const server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        responses.push({ method: request.method, body: JSON.parse(body) });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
    const module = { exports: {} as any };
    const saved = process.env.ADMIN_FUNCTION;
    process.env.ADMIN_FUNCTION = 'practica-admin';
    try {
      new Function('require', 'exports', 'module', kMigrateHandlerCode)(
        (name: string) => {
          expect(name).toBe('@aws-sdk/client-lambda');
          return client;
        },
        module.exports,
        module,
      );
      await module.exports.handler({
        RequestId: 'r1',
        StackId: 's1',
        LogicalResourceId: 'AdminMigration',
        ResponseURL: url,
        ...event,
      });
    } finally {
      process.env.ADMIN_FUNCTION = saved;
      server.close();
    }
    return { invoked, responses };
  }

  it('runs migrate on create and update, and says what it did', async () => {
    for (const RequestType of ['Create', 'Update']) {
      const { invoked, responses } = await run(
        {
          RequestType,
          PhysicalResourceId: RequestType === 'Update' ? 'practica-migrate' : undefined,
        },
        { Payload: '{"command":"migrate","output":["… is up to date"]}' },
      );
      expect(invoked).toEqual([
        { FunctionName: 'practica-admin', Payload: JSON.stringify(kMigrateEvent) },
      ]);
      expect(responses).toHaveLength(1);
      expect(responses[0].method).toBe('PUT');
      expect(responses[0].body).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: 'practica-migrate',
        RequestId: 'r1',
        StackId: 's1',
        LogicalResourceId: 'AdminMigration',
      });
      expect(responses[0].body.Reason).toContain('is up to date');
    }
  });

  it("fails the deploy with practica's error when the migration fails", async () => {
    const { responses } = await run(
      { RequestType: 'Update', PhysicalResourceId: 'practica-migrate' },
      {
        FunctionError: 'Unhandled',
        Payload: '{"errorType":"Practica.Unavailable","errorMessage":"PostgreSQL unreachable"}',
      },
    );
    expect(responses[0].body.Status).toBe('FAILED');
    expect(responses[0].body.Reason).toContain('PostgreSQL unreachable');
  });

  it('fails, and still answers, when the invocation itself fails', async () => {
    const { responses } = await run({ RequestType: 'Create' }, new Error('AccessDenied'));
    expect(responses[0].body).toMatchObject({ Status: 'FAILED' });
    expect(responses[0].body.Reason).toContain('AccessDenied');
  });

  it('does nothing on delete: a schema outlives its stack', async () => {
    const { invoked, responses } = await run(
      { RequestType: 'Delete', PhysicalResourceId: 'practica-migrate' },
      { Payload: '{}' },
    );
    expect(invoked).toEqual([]);
    expect(responses[0].body.Status).toBe('SUCCESS');
  });
});
