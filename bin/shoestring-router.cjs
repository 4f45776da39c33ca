#!/usr/bin/env node
// Thin launcher for the router compiled to dist/ by `npm run build`.
require("../dist/images/router/src/server.js");
