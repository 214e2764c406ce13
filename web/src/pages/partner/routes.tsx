/** The partner area's routes (filled in by the partner pages). */
import type { RouteObject } from "react-router";

export const partnerRoutes: RouteObject[] = [];
