import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IVpc, SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Cluster, ContainerInsights } from 'aws-cdk-lib/aws-ecs';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Where tasks run when the network is brought from outside the app. */
export interface ExistingNetwork {
  readonly vpcId: string;
  /** Subnets of the tasks' network interfaces; at least one. */
  readonly subnetIds: readonly string[];
  /**
   * Whether each task gets a public IP. Needed in public subnets to pull images; not in private
   * subnets behind a NAT gateway or with VPC endpoints.
   * @default true
   */
  readonly assignPublicIp?: boolean;
}

export interface ContainerPlatformProps {
  /**
   * A VPC and subnets to run the tasks in.
   * @default a new VPC with public subnets only in two AZs, no NAT gateway: it costs nothing idle
   */
  readonly network?: ExistingNetwork;
  /**
   * CloudWatch Container Insights on the cluster. Off by default: it bills custom metrics per
   * task and per container, and these tasks come and go by the hundred; ECS task state events
   * and the containers' own logs already tell what happened.
   * @default false
   */
  readonly containerInsights?: boolean;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The Fargate side: a cluster, the roles tasks run with, a log group for the containers' output
 * and the network placement. Task definitions are registered per container at run time.
 */
export class ContainerPlatform extends Construct {
  readonly vpc: IVpc;
  readonly cluster: Cluster;
  readonly subnetIds: readonly string[];
  readonly assignPublicIp: boolean;
  readonly securityGroup: SecurityGroup;
  /** Role the ECS agent uses to pull images and write the containers' logs. */
  readonly executionRole: Role;
  /** Role the containers' own code runs as: no permissions. */
  readonly taskRole: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ContainerPlatformProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    if (props.network) {
      const { vpcId, subnetIds } = props.network;
      if (!/^vpc-[0-9a-f]+$/.test(vpcId))
        throw new Error(`network.vpcId must look like vpc-0abc..., got ${vpcId}`);
      if (subnetIds.length === 0) throw new Error('network.subnetIds needs at least one subnet id');
      const bad = subnetIds.find((subnet) => !/^subnet-[0-9a-f]+$/.test(subnet));
      if (bad !== undefined) throw new Error(`network.subnetIds must look like subnet-0abc..., got ${bad}`);
      // Attributes, not Vpc.fromLookup: synth stays offline and needs no credentials.
      this.vpc = Vpc.fromVpcAttributes(this, 'Vpc', { vpcId, availabilityZones: stack.availabilityZones });
      this.subnetIds = [...subnetIds];
      this.assignPublicIp = props.network.assignPublicIp ?? true;
    } else {
      const vpc = new Vpc(this, 'Vpc', {
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [{ name: 'Public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }],
      });
      Validations.of(vpc).acknowledge({
        id: 'AwsSolutions-VPC7',
        reason:
          'Flow logs bill per GB ingested; the VPC holds only Fargate tasks with no inbound rules. Turn them on per deployment when an audit needs them.',
      });
      this.vpc = vpc;
      this.subnetIds = vpc.publicSubnets.map((subnet) => subnet.subnetId);
      this.assignPublicIp = true;
    }

    this.securityGroup = new SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: 'Container tasks: no inbound traffic, outbound to pull images and reach the internet',
      allowAllOutbound: true,
    });

    this.cluster = new Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: props.containerInsights ? ContainerInsights.ENABLED : ContainerInsights.DISABLED,
    });
    if (!props.containerInsights) {
      Validations.of(this.cluster).acknowledge({
        id: 'AwsSolutions-ECS4',
        reason:
          'Container Insights bills custom metrics per short-lived task; off by default to stay cheap (containerInsights: true turns it on).',
      });
    }

    this.logGroup = new LogGroup(this, 'ContainerLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });

    const ecsTasks = new ServicePrincipal('ecs-tasks.amazonaws.com');
    this.executionRole = new Role(this, 'TaskExecutionRole', {
      assumedBy: ecsTasks,
      description: 'ECS agent: pulls container images and writes their logs',
    });
    this.executionRole.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    // Private images of this account's ECR; public registries need no permission.
    this.executionRole.addToPolicy(
      new PolicyStatement({
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: [stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: '*' })],
      }),
    );
    this.executionRole.addToPolicy(
      new PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );
    Validations.of(this.executionRole).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken supports no resource-level permission.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:<AWS::Region>:<AWS::AccountId>:repository/*]',
        reason:
          'Users choose any image of this account; pulling is read-only and limited to this account and region.',
      },
    );

    this.taskRole = new Role(this, 'TaskRole', {
      assumedBy: ecsTasks,
      description: "Containers' own code: no permissions, grant them per deployment",
    });
  }
}
