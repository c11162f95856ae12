import type { OptionGroup, ProductImageRef, ProductStatus, SkuStatus } from '@sagamart/contracts';
import { type Kysely, notFound, type Page, type SortOrder, type SortSpec, sql, toPage } from '@sagamart/kit';
import {
  breadcrumb,
  type CategoryNode,
  type CategoryRow,
  colourValues,
  discountRate,
  displayedTree,
  shopSkuStatus,
} from '../domain/presentation.ts';
import {
  likePattern,
  matchWords,
  normalizeQuery,
  prefixTsQuery,
  queryWords,
  searchTerms,
} from '../domain/search-terms.ts';
import type { CatalogDb } from '../infra/schema.ts';
import type { DetailCacheService } from './detail-cache.ts';
import type { SearchCache } from './search-cache.ts';

/** Sort fields: `relevance` ranks matches of q (see relevance); the others are card fields. */
export type SortField = 'relevance' | 'price' | 'createdAt' | 'salesCount' | 'name';

/** Spring form (`sort=price,asc`) for the card fields; the shop's own tokens alongside. */
export const SEARCH_SORT: SortSpec<SortField> = {
  fields: ['price', 'createdAt', 'salesCount', 'name'],
  tokens: {
    relevance: [{ field: 'relevance', direction: 'desc' }],
    latest: [{ field: 'createdAt', direction: 'desc' }],
    price_asc: [{ field: 'price', direction: 'asc' }],
    price_desc: [{ field: 'price', direction: 'desc' }],
    popular: [{ field: 'salesCount', direction: 'desc' }],
  },
};

const SORT_COLUMNS = {
  price: 'p.sale_price',
  createdAt: 'p.created_at',
  salesCount: 'p.sales_count',
  name: 'p.name',
} as const;

export interface SearchQuery {
  q?: string | undefined;
  /** Includes the category's descendants. */
  categoryId?: number | undefined;
  /** On the sale price, inclusive. */
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  inStock?: boolean | undefined;
  /** Default (when empty): relevance with q, latest without. */
  sort?: SortOrder<SortField>[] | undefined;
  page: number;
  size: number;
}

export interface ProductCard {
  id: number;
  code: string;
  name: string;
  basePrice: number;
  salePrice: number;
  discountRate: number;
  status: ProductStatus;
  inStock: boolean;
  salesCount: number;
  thumbnailUrl: string | null;
  categoryIds: number[];
  colours: string[];
  createdAt: string | null;
}

export interface ProductDetail extends Omit<ProductCard, 'thumbnailUrl'> {
  description: string;
  images: ProductImageRef[];
  thumbnailUrl: string | null;
  breadcrumb: Array<{ id: number; name: string }>;
  optionGroups: OptionGroup[];
  skus: Array<{
    id: number;
    skuCode: string;
    options: Record<string, string>;
    price: number;
    stock: number;
    status: SkuStatus;
  }>;
  updatedAt: string | null;
}

export interface Suggestion {
  text: string;
  kind: 'PRODUCT' | 'CATEGORY' | 'KEYWORD';
  /** The product a name suggestion belongs to; null otherwise. */
  productId: number | null;
  /** The category a category suggestion opens; null otherwise. */
  categoryId: number | null;
}

type ProductRow = Pick<
  CatalogDb['catalog_products'],
  | 'id'
  | 'code'
  | 'name'
  | 'base_price'
  | 'sale_price'
  | 'status'
  | 'in_stock'
  | 'sales_count'
  | 'images'
  | 'category_ids'
  | 'option_groups'
  | 'created_at'
>;

type Sql = ReturnType<typeof sql>;

/** One key of a search's order: a column or a relevance expression of `p`, and its direction. */
interface SortKey {
  value: Sql;
  direction: 'asc' | 'desc';
}

/** A search statement's row: the total, and a product's card columns (all null past the last page). */
type SearchRow = { total: string | number } & (ProductRow | { [K in keyof ProductRow]: null });

function card(p: ProductRow): ProductCard {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    basePrice: p.base_price,
    salePrice: p.sale_price,
    discountRate: discountRate(p.base_price, p.sale_price),
    status: p.status,
    inStock: p.in_stock,
    salesCount: p.sales_count,
    thumbnailUrl: p.images[0]?.url ?? null,
    categoryIds: p.category_ids.map(Number),
    colours: colourValues(p.option_groups),
    createdAt: p.created_at?.toISOString() ?? null,
  };
}

const CARD_COLUMNS = [
  'p.id',
  'p.code',
  'p.name',
  'p.base_price',
  'p.sale_price',
  'p.status',
  'p.in_stock',
  'p.sales_count',
  'p.images',
  'p.category_ids',
  'p.option_groups',
  'p.created_at',
] as const;

/** The customer-facing reads: search, autocomplete, detail (cache-aside) and the category tree. */
export class CatalogQueries {
  constructor(
    private readonly db: Kysely<CatalogDb>,
    private readonly cache: DetailCacheService,
    private readonly searchCache: SearchCache<Page<ProductCard>>,
  ) {}

  /** The category and all its descendants (the category alone when unknown: an empty result). */
  private async categoryAndDescendants(categoryId: number): Promise<number[]> {
    const result = await sql<{ id: number }>`
      with recursive tree(id, level) as (
        select id, 1 from catalog_categories where id = ${categoryId}
        union all
        select c.id, t.level + 1 from catalog_categories c join tree t on c.parent_id = t.id where t.level < 3
      )
      select id from tree`.execute(this.db);
    return result.rows.length ? result.rows.map((r) => Number(r.id)) : [categoryId];
  }

  /** A page of cards, from the search cache while the read model has not changed since (see SearchCache). */
  search(query: SearchQuery): Promise<Page<ProductCard>> {
    const key = JSON.stringify([
      normalizeQuery(query.q),
      query.categoryId,
      query.minPrice,
      query.maxPrice,
      query.inStock === true,
      query.sort ?? [],
      query.page,
      query.size,
    ]);
    return this.searchCache.getOrLoad(key, () => this.searchDatabase(query));
  }

  /**
   * One statement per search, the page and its exact total together. With q, the matches are found once
   * (`matched`: ids and sort keys only), counted, and sorted; only the page's rows are then read in
   * full. The relevance keys are thus computed once per match, and the wide row 20 times, not once per
   * match and twice over (page, then count). Without q, the page can follow an index (latest, price,
   * popular) and stop after its rows, so the count stays a separate scalar subquery of the same
   * statement.
   */
  private async searchDatabase(query: SearchQuery): Promise<Page<ProductCard>> {
    const q = normalizeQuery(query.q);
    const words = queryWords(q);
    const where: Sql[] = [sql`p.visible`];
    // Every word must occur in name, keywords or description (see matchWords).
    for (const match of matchWords(words)) {
      where.push(
        match.kind === 'substring'
          ? sql`p.search_text like ${match.pattern}`
          : sql`p.search_vector @@ to_tsquery('simple', ${match.tsquery})`,
      );
    }
    if (query.categoryId !== undefined) {
      const ids = await this.categoryAndDescendants(query.categoryId);
      where.push(sql`p.category_ids && ${ids}::bigint[]`);
    }
    if (query.minPrice !== undefined) where.push(sql`p.sale_price >= ${query.minPrice}`);
    if (query.maxPrice !== undefined) where.push(sql`p.sale_price <= ${query.maxPrice}`);
    if (query.inStock) where.push(sql`p.in_stock`);
    const filter = sql.join(where, sql` and `);

    const sort: SortOrder<SortField>[] = query.sort?.length
      ? query.sort
      : [{ field: words.length ? 'relevance' : 'createdAt', direction: 'desc' }];
    const keys: SortKey[] = [];
    for (const order of sort) {
      if (order.field !== 'relevance') {
        keys.push({ value: sql.raw(SORT_COLUMNS[order.field]), direction: order.direction });
        continue;
      }
      // Without q every product is as relevant as the next: the best sellers come first.
      for (const value of words.length ? this.relevance(q, words) : [])
        keys.push({ value, direction: 'desc' });
      keys.push({ value: sql`p.sales_count`, direction: 'desc' });
    }
    // A stable order for paging: the id breaks ties, in the last order's direction.
    keys.push({ value: sql`p.id`, direction: sort.at(-1)!.direction });

    // Each key is selected as k0, k1 …; the outer query keeps the page's order by them.
    const keyColumns = sql.join(keys.map((k, i) => sql`${k.value} as ${sql.ref(`k${i}`)}`));
    const keyRefs = (table: string) => sql.join(keys.map((_, i) => sql.ref(`${table}.k${i}`)));
    const orderBy = (table?: string) =>
      sql.join(
        keys.map((k, i) => sql`${sql.ref(table ? `${table}.k${i}` : `k${i}`)} ${sql.raw(k.direction)}`),
      );
    const limit = sql`limit ${query.size} offset ${query.page * query.size}`;
    const cardColumns = sql.raw(CARD_COLUMNS.join(', '));
    const statement = words.length
      ? sql<SearchRow>`
          with matched as materialized (select p.id, ${keyColumns} from catalog_products p where ${filter})
          select t.total, c.* from (select count(*) as total from matched) t
          left join lateral (
            select ${cardColumns}, ${keyRefs('m')} from (select * from matched m order by ${orderBy('m')} ${limit}) m
            join catalog_products p on p.id = m.id
          ) c on true
          order by ${orderBy('c')}`
      : sql<SearchRow>`
          select t.total, c.* from (select count(*) as total from catalog_products p where ${filter}) t
          left join lateral (
            select ${cardColumns}, ${keyColumns} from catalog_products p where ${filter}
            order by ${orderBy()} ${limit}
          ) c on true
          order by ${orderBy('c')}`;
    const { rows } = await statement.execute(this.db);
    // Always one row at least (the total's); a page past the end has no product in it.
    const found = rows.filter((row): row is SearchRow & ProductRow => row.id !== null);
    return toPage(found.map(card), Number(rows[0]?.total ?? 0), query.page, query.size);
  }

  /**
   * Relevance: name matches first (the whole query, then every word), then keyword matches, then the
   * full-text rank with name (A) > keywords (B) > description (C) weights. A name hit thus always
   * outranks a description-only hit, however often the description repeats the word.
   */
  private relevance(q: string, words: string[]) {
    const all = (column: ReturnType<typeof sql>) =>
      sql.join(
        words.map((w) => sql`${column} like ${likePattern(w, 'contains')}`),
        sql` and `,
      );
    const name = sql`lower(p.name)`;
    const keywords = sql`lower(p.keywords_text)`;
    const order = [sql`${name} like ${likePattern(q, 'contains')}`];
    // One word: the whole query is that word, and a second test of it would order nothing.
    if (words.length > 1) order.push(sql`(${all(name)})`);
    order.push(sql`(${all(keywords)})`);
    const tsq = prefixTsQuery(searchTerms(q));
    if (tsq) order.push(sql`ts_rank('{0.1, 0.2, 0.4, 1.0}', p.search_vector, to_tsquery('simple', ${tsq}))`);
    return order;
  }

  /**
   * At most `limit` suggestions of three kinds: categories whose name (or a word of it) starts with the
   * keyword, product names starting with it (then names with a word starting with it), and the
   * products' search keywords. Categories and keywords keep a few places each, so names alone never
   * crowd them out; a text shown once is not repeated by a later kind.
   */
  async autocomplete(keyword: string, limit = 10): Promise<Suggestion[]> {
    const k = normalizeQuery(keyword);
    if (!k) return [];
    const prefix = likePattern(k, 'prefix');
    const wordPrefix = likePattern(k, 'word-prefix');
    const reserved = Math.floor(limit / 4);
    const [categories, names, keywords] = await Promise.all([
      this.displayedCategoriesMatching(k, reserved),
      this.db
        .selectFrom('catalog_products as p')
        .select(['p.id', 'p.name'])
        .where('p.visible', '=', true)
        .where(sql<boolean>`(lower(p.name) like ${prefix} or lower(p.name) like ${wordPrefix})`)
        .orderBy(sql`lower(p.name) like ${prefix}`, 'desc')
        .orderBy('p.sales_count', 'desc')
        .orderBy('p.id', 'desc')
        .limit(limit)
        .execute(),
      sql<{ keyword: string }>`
        select k as keyword from catalog_products p, unnest(p.keywords) k
        where p.visible and lower(k) like ${prefix}
        group by k order by count(*) desc, k limit ${limit}`.execute(this.db),
    ]);
    const candidates = {
      category: categories.map(
        (c): Suggestion => ({
          text: c.name,
          kind: 'CATEGORY',
          productId: null,
          categoryId: c.id,
        }),
      ),
      name: names.map(
        (row): Suggestion => ({
          text: row.name,
          kind: 'PRODUCT',
          productId: row.id,
          categoryId: null,
        }),
      ),
      keyword: keywords.rows.map(
        ({ keyword: text }): Suggestion => ({
          text,
          kind: 'KEYWORD',
          productId: null,
          categoryId: null,
        }),
      ),
    };
    // Names get what categories and keywords (up to `reserved` each) leave.
    const places = {
      category: Math.min(candidates.category.length, reserved),
      keyword: Math.min(candidates.keyword.length, reserved),
    };
    const quota = {
      category: places.category,
      name: limit - places.category - places.keyword,
      keyword: limit,
    };
    const suggestions: Suggestion[] = [];
    const seen = new Set<string>();
    for (const kind of ['category', 'name', 'keyword'] as const) {
      let taken = 0;
      for (const suggestion of candidates[kind]) {
        if (suggestions.length >= limit || taken >= quota[kind]) break;
        if (seen.has(suggestion.text)) continue;
        seen.add(suggestion.text);
        suggestions.push(suggestion);
        taken++;
      }
    }
    return suggestions;
  }

  /** Displayed categories (under displayed parents) whose name, or a word of it, starts with `keyword`. */
  private async displayedCategoriesMatching(keyword: string, limit: number) {
    if (limit === 0) return [];
    const found: Array<{ id: number; name: string; depth: number; namePrefix: boolean }> = [];
    const walk = (nodes: CategoryNode[], depth: number) => {
      for (const node of nodes) {
        const name = node.name.toLowerCase();
        const namePrefix = name.startsWith(keyword);
        // Words split at spaces and slashes (맨투맨/스웨트셔츠 answers 스웨트).
        if (namePrefix || ` ${name.replaceAll('/', ' ')}`.includes(` ${keyword}`))
          found.push({ id: node.id, name: node.name, depth, namePrefix });
        walk(node.children, depth + 1);
      }
    };
    walk(displayedTree(await this.categoryRows()), 1);
    // Name prefixes first, then the broader (shallower) categories.
    return found
      .sort((a, b) => Number(b.namePrefix) - Number(a.namePrefix) || a.depth - b.depth)
      .slice(0, limit);
  }

  /**
   * A displayed, active product's detail as its JSON body (404 otherwise), served from the cache when
   * it has it. `serialise` is the route's own (schema) serialiser: the body is serialised once, when
   * it is loaded, not on every hit.
   */
  async detailBody(id: number, serialise: (detail: ProductDetail) => string): Promise<string> {
    const body = await this.cache.getOrLoad(id, async () => {
      const detail = await this.loadDetail(id);
      return detail && serialise(detail);
    });
    if (body === undefined) throw notFound(`Product ${id} is not in the catalog`);
    return body;
  }

  private async loadDetail(id: number): Promise<ProductDetail | undefined> {
    const product = await this.db
      .selectFrom('catalog_products as p')
      .select([...CARD_COLUMNS, 'p.description', 'p.updated_at'])
      .where('p.id', '=', id)
      .where('p.visible', '=', true)
      .executeTakeFirst();
    if (!product) return undefined;
    const [skus, categories] = await Promise.all([
      this.db
        .selectFrom('catalog_skus')
        .select(['id', 'sku_code', 'options', 'price', 'stock', 'admin_status', 'removed'])
        .where('product_id', '=', id)
        .where('removed', '=', false)
        .orderBy('position')
        .orderBy('id')
        .execute(),
      this.categoryRows(),
    ]);
    return {
      ...card(product),
      description: product.description,
      images: product.images,
      breadcrumb: breadcrumb(categories, product.category_ids.map(Number)[0]),
      optionGroups: product.option_groups,
      skus: skus.map((s) => ({
        id: s.id,
        skuCode: s.sku_code,
        options: s.options,
        price: s.price,
        stock: s.stock,
        status: shopSkuStatus(product.status, s.admin_status, s.removed, s.stock),
      })),
      updatedAt: product.updated_at?.toISOString() ?? null,
    };
  }

  private async categoryRows(): Promise<CategoryRow[]> {
    const rows = await this.db.selectFrom('catalog_categories').selectAll().execute();
    return rows.map((r) => ({
      id: Number(r.id),
      parentId: r.parent_id === null ? null : Number(r.parent_id),
      name: r.name,
      displayOrder: r.display_order,
      displayed: r.displayed,
      deleted: r.deleted,
    }));
  }

  async categoryTree(): Promise<CategoryNode[]> {
    return displayedTree(await this.categoryRows());
  }
}
