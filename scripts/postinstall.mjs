#!/usr/bin/env node
// Placeholder: the mediasoup worker build step (issue 4) lands here.
