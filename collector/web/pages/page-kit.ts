import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SafeHtml } from '../../html/index.js';
import type { Viewer } from '../../users/index.js';

/** What the page routes in routes.ts already give every page: the viewer, the page, the site, a form action. */
export interface PageKit {
  viewerOr(request: FastifyRequest, reply: FastifyReply): Viewer | null;
  page(reply: FastifyReply, body: SafeHtml): FastifyReply;
  siteParam(request: FastifyRequest, v: Viewer): Promise<string>;
  act(reply: FastifyReply, back: string, fn: () => unknown): Promise<FastifyReply>;
  /** The site's time zone: every time a page prints is local. */
  zoneOf(site: string): Promise<string>;
}
