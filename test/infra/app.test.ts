import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { defineApp } from '../../infra/container-lifecycle-app';
import { DeployConfigError } from '../../infra/deploy-config';
import { identity, testApp } from './test-app';

describe('defineApp', () => {
  it('fails with the command that fixes it when the issuer and audience are missing', () => {
    // GIVEN an app without jwtIssuer and jwtAudience
    const app = testApp();

    // WHEN the app is defined THEN it throws before any stack exists
    expect(() => defineApp(app)).toThrow(DeployConfigError);
    expect(() => defineApp(app)).toThrow(/missing jwtIssuer and jwtAudience.*-c jwtIssuer=https:\/\//);
    expect(app.node.children).toHaveLength(0);
  });

  it('fails when only the audience is missing', () => {
    const app = testApp({ jwtIssuer: identity.jwtIssuer });

    expect(() => defineApp(app)).toThrow(/missing jwtAudience/);
  });

  it('refuses an issuer that is not an https URL', () => {
    const app = testApp({ ...identity, jwtIssuer: 'http://example.com/' });

    expect(() => defineApp(app)).toThrow(/jwtIssuer must be an https URL/);
  });

  it('refuses a VPC without subnets', () => {
    const app = testApp({ ...identity, vpcId: 'vpc-0abc' });

    expect(() => defineApp(app)).toThrow(/vpcId and subnetIds go together/);
  });

  it('accepts several audiences, comma-separated', () => {
    const app = testApp({ ...identity, jwtAudience: 'api-a, api-b' });

    expect(defineApp(app).config.jwtAudience).toEqual(['api-a', 'api-b']);
  });

  it('runs a stage in the given VPC and subnets, names it after the stage, and retains its logs outside dev', () => {
    // GIVEN the prod stage in an existing VPC with two private subnets
    const app = testApp({
      ...identity,
      stage: 'prod',
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: 'subnet-0123456789abcdef0,subnet-0123456789abcdef1',
      assignPublicIp: 'false',
    });

    // WHEN the app is synthesized
    const { stateful, service } = defineApp(app);
    const template = Template.fromStack(service);

    // THEN no VPC is made, the functions place tasks in those subnets, and names carry the stage
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0123456789abcdef0' });
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      ECS_SUBNETS: 'subnet-0123456789abcdef0,subnet-0123456789abcdef1',
      ECS_ASSIGN_PUBLIC_IP: 'false',
      TASK_FAMILY_PREFIX: 'clc-prod',
    });
    expect([stateful.stackName, service.stackName]).toEqual([
      'ContainerLifecycle-prod-Stateful',
      'ContainerLifecycle-prod-Service',
    ]);
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.DeletionPolicy).toBe('Retain');
    }
  });
});
