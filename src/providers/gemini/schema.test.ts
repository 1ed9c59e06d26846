import { describe, expect, it } from 'vitest';
import { geminiSchema, jsonSchemaOf } from './schema';

describe('geminiSchema', () => {
  it('keeps only the keywords Gemini knows, with their values', () => {
    expect(
      geminiSchema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: 'urn:tool',
        type: 'object',
        additionalProperties: false,
        properties: {
          path: { type: 'string', description: 'A file', minLength: 1, examples: ['/a'], default: '/' },
          mode: { const: 'read' },
          count: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 10, multipleOf: 1 },
          url: { type: 'string', format: 'uri' },
          at: { type: 'string', format: 'date-time' },
          tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, minItems: 1 },
          meta: { type: 'object', properties: {}, propertyNames: { pattern: '^[a-z]+$' } },
        },
        required: ['path', 'ghost'],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        path: { type: 'string', description: 'A file', minLength: 1 },
        mode: { type: 'string', enum: ['read'] },
        count: { type: 'integer', minimum: 0, maximum: 10 },
        url: { type: 'string' },
        at: { type: 'string', format: 'date-time' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
        meta: { type: 'object' },
      },
      required: ['path'],
    });
  });

  it('turns null types and null alternatives into nullable, oneOf into anyOf', () => {
    expect(
      geminiSchema({
        type: 'object',
        properties: {
          a: { type: ['string', 'null'] },
          b: { anyOf: [{ type: 'number' }, { type: 'null' }], description: 'B' },
          c: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
          d: { enum: ['x', 'y', null] },
          e: { enum: [1, 2] },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        a: { type: 'string', nullable: true },
        b: { type: 'number', description: 'B', nullable: true },
        c: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        d: { type: 'string', enum: ['x', 'y'], nullable: true },
        e: { type: 'integer' },
      },
    });
  });

  it('inlines $ref from $defs and definitions, cuts cycles, merges allOf', () => {
    expect(
      geminiSchema({
        type: 'object',
        $defs: { Point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
        definitions: {
          Node: { type: 'object', properties: { next: { $ref: '#/definitions/Node' } } },
        },
        properties: {
          at: { $ref: '#/$defs/Point', description: 'Where' },
          list: { $ref: '#/definitions/Node' },
          missing: { $ref: '#/$defs/Nope' },
          both: {
            allOf: [
              { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
              { properties: { b: { type: 'boolean' } } },
            ],
          },
          items: { type: 'array' },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        at: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'], description: 'Where' },
        list: { type: 'object', properties: { next: { type: 'object' } } },
        missing: { type: 'object' },
        both: {
          type: 'object',
          properties: { a: { type: 'string' }, b: { type: 'boolean' } },
          required: ['a'],
        },
        items: { type: 'array', items: { type: 'string' } },
      },
    });
  });

  it('reads a Gemini schema back as JSON Schema', () => {
    expect(
      jsonSchemaOf({
        type: 'OBJECT',
        propertyOrdering: ['q', 'n'],
        properties: {
          q: { type: 'STRING', nullable: true, format: 'enum', enum: ['a'] },
          n: { type: 'ARRAY', items: { type: 'INTEGER' } },
        },
        required: ['q'],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        q: { type: ['string', 'null'], enum: ['a'] },
        n: { type: 'array', items: { type: 'integer' } },
      },
      required: ['q'],
    });
  });
});
