import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { compression } from "vite-plugin-compression2";

/** The web app (web/) builds to web/dist, which `cpor serve` serves at the API's origin. */
export default defineConfig({
	root: "web",
	plugins: [
		react(),
		// A .br and a .gz beside each file, which `cpor serve` sends to browsers that
		// accept them (@fastify/static's preCompressed): no compression work per request.
		compression({
			algorithms: ["brotliCompress", "gzip"],
			include: /\.(js|css|html|svg|json)$/,
			threshold: 1024,
			logLevel: "silent",
		}),
	],
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
