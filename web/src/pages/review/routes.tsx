/** The review area's routes (filled in by the review pages). */
import type { RouteObject } from "react-router";

export const reviewRoutes: RouteObject[] = [];
