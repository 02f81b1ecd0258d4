import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface ApiRoute {
  /** API Gateway's route key, `GET /v1/containers/{id}`. */
  readonly routeKey: string;
  readonly handler: IFunction;
  /**
   * Scopes of which the token must grant at least one.
   * @default none: any valid token
   */
  readonly authorizationScopes?: readonly string[];
}

export interface ContainerHttpApiProps {
  /** The `iss` every token must carry, an https URL whose `.well-known/openid-configuration` API Gateway reads. */
  readonly jwtIssuer: string;
  /** Accepted `aud` (or `client_id`) values; at least one. */
  readonly jwtAudience: readonly string[];
  readonly routes: readonly ApiRoute[];
  /**
   * Steady requests per second over all routes of the stage. A ceiling against a runaway client
   * that would otherwise spend the account's Lambda concurrency and the owner's money; a
   * control plane for a handful of users sends far less.
   * @default 50
   */
  readonly throttleRateLimit?: number;
  /**
   * Requests the stage admits at once above the steady rate.
   * @default 100
   */
  readonly throttleBurstLimit?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly accessLogRetention?: RetentionDays;
  /** @default RemovalPolicy.DESTROY */
  readonly accessLogRemovalPolicy?: RemovalPolicy;
}

const methods: Readonly<Record<string, HttpMethod>> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

/** Splits `GET /v1/containers` into its method and path; throws on anything else. */
export function parseRouteKey(routeKey: string): { method: HttpMethod; path: string } {
  const [verb, path, ...rest] = routeKey.split(' ');
  const method = verb === undefined ? undefined : methods[verb];
  if (method === undefined || path === undefined || !path.startsWith('/') || rest.length > 0) {
    throw new Error(`route key must be "<METHOD> /path", got ${JSON.stringify(routeKey)}`);
  }
  return { method, path };
}

/**
 * The HTTP API: a JWT authorizer on every route (the default authorizer, so a route added later
 * is protected too), one Lambda integration per route, a throttled `$default` stage with access logs.
 */
export class ContainerHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: ContainerHttpApiProps) {
    super(scope, id);
    if (!/^https:\/\/[^\s/]+/.test(props.jwtIssuer)) {
      throw new Error(
        `jwtIssuer must be an https URL (API Gateway only fetches keys over https), got ${props.jwtIssuer}`,
      );
    }
    if (props.jwtAudience.length === 0 || props.jwtAudience.some((audience) => audience.trim() === '')) {
      throw new Error('jwtAudience needs at least one non-empty audience');
    }
    const rate = props.throttleRateLimit ?? 50;
    const burst = props.throttleBurstLimit ?? 100;
    if (!(rate > 0) || !Number.isInteger(burst) || burst < 1) {
      throw new Error(`throttle limits must be positive (rate ${rate}, burst ${burst})`);
    }

    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      jwtAudience: [...props.jwtAudience],
    });
    this.api = new HttpApi(this, 'Api', {
      description: 'Container lifecycle API',
      createDefaultStage: false,
      defaultAuthorizer: this.authorizer,
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.accessLogRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: rate, burstLimit: burst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    const seen = new Set<string>();
    for (const route of props.routes) {
      if (seen.has(route.routeKey)) throw new Error(`route ${route.routeKey} is defined twice`);
      seen.add(route.routeKey);
      const { method, path } = parseRouteKey(route.routeKey);
      this.api.addRoutes({
        path,
        methods: [method],
        integration: new HttpLambdaIntegration(route.routeKey.replace(/[^A-Za-z0-9]+/g, '-'), route.handler),
        authorizer: this.authorizer,
        ...(route.authorizationScopes === undefined
          ? {}
          : { authorizationScopes: [...route.authorizationScopes] }),
      });
    }
  }

  /** The invoke URL of the `$default` stage, ending in `/`. */
  get url(): string {
    return this.stage.url;
  }
}
