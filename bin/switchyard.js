#!/usr/bin/env node
import '../dist/switchyard.js';
