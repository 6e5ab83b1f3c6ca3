// The registries a Dockerfile's builds pull from, for the credentials a build sends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dockerfileRegistries } from '../../extension/engine/docker/dockerfileBases';

describe('dockerfileRegistries', () => {
  it('reads the FROM images, across stages, flags and continued lines', () => {
    const dockerfile = [
      'FROM --platform=linux/amd64 registry.example.com:5000/team/py:3.12 AS build',
      'RUN pip wheel .',
      'from python:3.12-slim',
      'FROM \\',
      '  127.0.0.1:5055/py@sha256:' + 'a'.repeat(64),
      'FROM build AS again',
      'FROM scratch',
      'ARG BASE=python',
      'FROM $BASE',
    ].join('\n');
    assert.deepEqual(dockerfileRegistries(dockerfile), ['127.0.0.1:5055', 'docker.io', 'registry.example.com:5000']);
  });

  it('leaves a name that does not parse to the build, which reports it with its line', () => {
    assert.deepEqual(dockerfileRegistries('FROM Not_An_Image!\n'), []);
  });
});
