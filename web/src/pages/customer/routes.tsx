/** The customer area's routes (filled in by the customer pages). */
import type { RouteObject } from "react-router";

export const customerRoutes: RouteObject[] = [];
