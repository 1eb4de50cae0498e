import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { WatchmanTokenGuard } from 'nestjs-watchman';
import { collectDefaultMetrics, register } from 'prom-client';

collectDefaultMetrics();

/**
 * The app's own Prometheus endpoint: its process metrics, and watchman's beside them. Behind
 * watchman's token guard, like `/watchman/metrics`: it names every check and whether it is up,
 * so it needs a token whenever watchman's routes do (and is open when no token is configured).
 */
@Controller('metrics')
@UseGuards(WatchmanTokenGuard)
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
