import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type ValidatorBuilder = NonNullable<CompilersFactory['buildValidator']>;
type SerializerBuilder = NonNullable<CompilersFactory['buildSerializer']>;

interface Validator {
  (data: unknown, dataContext?: unknown): unknown;
  errors?: unknown;
  /** Set on Ajv's functions; Fastify then passes the parent, so that Ajv can coerce a root value. */
  schemaEnv?: unknown;
}
type Serializer = (data: unknown) => string;

export interface LazySchemaCompilers {
  /** For Fastify's `schemaController.compilersFactory`. */
  compilersFactory: Required<CompilersFactory>;
  /** Compiles every route function not yet compiled: a schema that cannot compile throws here. */
  compileAll(): void;
}

/**
 * Fastify's own compilers (Ajv validators, fast-json-stringify serializers), each route's function
 * compiled at its first request instead of at start (docs/performance.md, change 20). A process then
 * starts without generating code for every route, and holds none for the routes nobody calls.
 * Being custom compilers to Fastify, they get header schemas as written (Fastify lowercases the names
 * only for its built-in compiler): the kit refuses a route whose header schema names one otherwise.
 * Bodies are validated without type coercion, every other part with the app's Ajv options.
 */
export function lazySchemaCompilers(): LazySchemaCompilers {
  const buildValidator = AjvCompiler();
  const buildSerializer = SerializerSelector();
  const pending = new Set<() => unknown>();

  function defer<F>(compile: () => F): () => F {
    let compiled: F | undefined;
    const ensure = (): F => {
      if (compiled === undefined) {
        compiled = compile();
        pending.delete(ensure);
      }
      return compiled;
    };
    pending.add(ensure);
    return ensure;
  }

  function deferValidator(compile: () => Validator): Validator {
    const ensure = defer(compile);
    const validate: Validator = (data, dataContext) => {
      const fn = ensure();
      const valid = dataContext === undefined ? fn(data) : fn(data, dataContext);
      validate.errors = fn.errors;
      return valid;
    };
    // Ajv's validators all carry it, so Fastify passes the parent data (root coercion, defaults).
    validate.schemaEnv = true;
    return validate;
  }

  function deferSerializer(compile: () => Serializer): Serializer {
    const ensure = defer(compile);
    return (data) => ensure()(data);
  }

  return {
    compilersFactory: {
      buildValidator: ((...args: Parameters<typeof buildValidator>) => {
        const [externalSchemas, options = {}] = args;
        const compile = buildValidator(...args);
        // A JSON body carries its own types: `"0x118"` or `true` where a number is expected is an
        // error, not SKU 280 or 1. Querystring, params and headers are strings on the wire and coerce.
        let compileBody: typeof compile | undefined;
        const bodyCompiler = () =>
          (compileBody ??= buildValidator(externalSchemas, {
            ...options,
            customOptions: { ...options.customOptions, coerceTypes: false },
          } as typeof options));
        return (route: Parameters<typeof compile>[0]) => {
          const { httpPart } = route as { httpPart?: string };
          return deferValidator(() => (httpPart === 'body' ? bodyCompiler() : compile)(route) as Validator);
        };
      }) as ValidatorBuilder,
      buildSerializer: ((...args: Parameters<SerializerBuilder>) => {
        const compile = buildSerializer(...args);
        return (route: Parameters<typeof compile>[0]) => deferSerializer(() => compile(route) as Serializer);
      }) as SerializerBuilder,
    },
    compileAll() {
      for (const ensure of [...pending]) ensure();
    },
  };
}
