/** The admin area's routes (filled in by the admin pages). */
import type { RouteObject } from "react-router";

export const adminRoutes: RouteObject[] = [];
