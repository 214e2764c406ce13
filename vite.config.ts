import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The web app (web/) builds to web/dist, which `cpor serve` serves at the API's origin. */
export default defineConfig({
	root: "web",
	plugins: [react()],
	build: {
		outDir: "dist",
		emptyOutDir: true,
		sourcemap: false,
		chunkSizeWarningLimit: 1500,
	},
	server: {
		proxy: {
			"/api": "http://127.0.0.1:3000",
			"/consent": "http://127.0.0.1:3000",
			"/dev": "http://127.0.0.1:3000",
		},
	},
});
