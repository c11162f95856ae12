import { Type } from 'typebox';
import { OptionGroup, ProductImageRef, ProductStatus, SkuStatus } from '../catalog.ts';
import { AUTOCOMPLETE_KEYWORD_MAX_LENGTH, SEARCH_QUERY_MAX_LENGTH } from '../rules.ts';
import { SortParam } from './page.ts';

export const ProductCard = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  basePrice: Type.Integer(),
  salePrice: Type.Integer(),
  /** Whole percent off basePrice. */
  discountRate: Type.Integer(),
  status: ProductStatus,
  inStock: Type.Boolean(),
  salesCount: Type.Integer(),
  thumbnailUrl: Type.Union([Type.String(), Type.Null()]),
  categoryIds: Type.Array(Type.Integer()),
  /**
   * The values of the product's colour option (see isColourOption in rules) in the admin's order,
   * e.g. ['블랙', '화이트']; empty when it has none. Lists draw and swatch a product from these alone.
   */
  colours: Type.Array(Type.String()),
  createdAt: Type.Union([Type.String(), Type.Null()]),
});

export const ProductDetail = Type.Object({
  ...ProductCard.properties,
  description: Type.String(),
  images: Type.Array(ProductImageRef),
  breadcrumb: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  optionGroups: Type.Array(OptionGroup),
  skus: Type.Array(
    Type.Object({
      id: Type.Integer(),
      skuCode: Type.String(),
      options: Type.Record(Type.String(), Type.String()),
      price: Type.Integer(),
      /** Available now. */
      stock: Type.Integer(),
      status: SkuStatus,
    }),
  ),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: SEARCH_QUERY_MAX_LENGTH })),
  categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
  minPrice: Type.Optional(Type.Integer({ minimum: 0 })),
  maxPrice: Type.Optional(Type.Integer({ minimum: 0 })),
  inStock: Type.Optional(Type.Boolean()),
  sort: Type.Optional(SortParam),
  page: Type.Integer({ minimum: 0, default: 0 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

export const AutocompleteQuery = Type.Object({
  keyword: Type.String({ minLength: 1, maxLength: AUTOCOMPLETE_KEYWORD_MAX_LENGTH }),
});
/** What a suggestion opens: a product (its page), a category (its list) or a keyword (a search). */
export const SuggestionKind = Type.Union([
  Type.Literal('PRODUCT'),
  Type.Literal('CATEGORY'),
  Type.Literal('KEYWORD'),
]);
export const Suggestions = Type.Object({
  keyword: Type.String(),
  suggestions: Type.Array(
    Type.Object({
      text: Type.String(),
      kind: SuggestionKind,
      /** The product of a PRODUCT suggestion; null otherwise. */
      productId: Type.Union([Type.Integer(), Type.Null()]),
      /** The category of a CATEGORY suggestion; null otherwise. */
      categoryId: Type.Union([Type.Integer(), Type.Null()]),
    }),
    { maxItems: 10 },
  ),
});

const CategoryFields = { id: Type.Integer(), name: Type.String(), displayOrder: Type.Integer() };
// At most three levels, written out.
export const CategoryTree = Type.Array(
  Type.Object({
    ...CategoryFields,
    children: Type.Array(
      Type.Object({
        ...CategoryFields,
        children: Type.Array(
          Type.Object({
            ...CategoryFields,
            children: Type.Array(Type.Object(CategoryFields), { maxItems: 0 }),
          }),
        ),
      }),
    ),
  }),
);

export const RebuildRun = Type.Object({
  id: Type.String(),
  state: Type.Union([Type.Literal('RUNNING'), Type.Literal('SUCCEEDED'), Type.Literal('FAILED')]),
  startedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  products: Type.Integer(),
  categories: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
});
