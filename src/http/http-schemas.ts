/** TypeBox shapes every route's schema uses. */
import { Type, type SchemaOptions, type TSchema } from '@sinclair/typebox';

/**
 * The schema or null. Null first: with coerceTypes, a null tried against a string first would
 * become "" (a PATCH clearing a station's site once set it to "").
 */
export const Nullable = <T extends TSchema>(schema: T, options?: SchemaOptions) => Type.Union([Type.Null(), schema], options);
