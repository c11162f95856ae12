import {
  Alert,
  Button,
  Card,
  Divider,
  Group,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { adminCategoriesQuery, leafCategories } from '../../admin-catalog/admin-categories-api.ts';
import {
  type AdminProduct,
  adminProductQuery,
  adminProductsQueryPrefix,
  createProduct,
  updateProduct,
} from '../../admin-catalog/admin-products-api.ts';
import {
  codeRule,
  draftOf,
  emptyDraft,
  followPrice,
  generateSkuRows,
  hasErrors,
  type OptionGroupDraft,
  optionGroupsOf,
  type ProductDraft,
  type ProductFields,
  type ProductFormErrors,
  productInputOf,
  type SkuRow,
  validateProductDraft,
} from '../../admin-catalog/product-form.ts';
import { isApiError } from '../../api/api-error.ts';
import { PRODUCT_STATUSES, type ProductImage, type ProductStatus } from '../../catalog/catalog-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';
import { ProductImagesField } from './ProductImagesField.tsx';
import { OptionGroupsEditor, SkusHeader, SkuTable } from './ProductOptionsFields.tsx';

interface ProductEditorProps {
  /** Absent when creating. */
  product?: AdminProduct;
  listSearch: string;
}

/** Create or edit a product: details, categories, images, option groups and one SKU per combination. */
export function ProductEditor({ product, listSearch }: ProductEditorProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const categories = useQuery(adminCategoriesQuery);
  const [initial] = useState<ProductDraft>(() => (product ? draftOf(product) : emptyDraft()));
  const [groups, setGroups] = useState<OptionGroupDraft[]>(initial.groups);
  const [rows, setRows] = useState<SkuRow[]>(initial.rows);
  const [categoryIds, setCategoryIds] = useState<string[]>(initial.categoryIds);
  const [images, setImages] = useState<ProductImage[]>(initial.images);
  const [problems, setProblems] = useState<ProductFormErrors | null>(null);
  const form = useFormFields<ProductFields>(
    initial.fields,
    (fields) => validateProductDraft({ fields, groups, rows, categoryIds, images }).fields,
  );
  const draft: ProductDraft = { fields: form.values, groups, rows, categoryIds, images };

  const save = useMutation({
    mutationFn: () => {
      const input = productInputOf(draft, product?.version);
      return product ? updateProduct(product.id, input) : createProduct(input);
    },
    onSuccess: async (saved) => {
      queryClient.setQueryData(adminProductQuery(saved.id).queryKey, saved);
      await queryClient.invalidateQueries({ queryKey: [...adminProductsQueryPrefix, 'list'] });
      notifications.show({
        color: 'teal',
        message: t(product ? 'adminCatalog.editor.saved' : 'adminCatalog.editor.created', {
          code: saved.code,
        }),
      });
      // A new product goes on to its edit page, where keywords and stock are managed.
      if (!product) await navigate(`/admin/products/${saved.id}`, { state: { listSearch } });
    },
    onError: (error) => form.showServerErrors(error),
  });

  /** The price shoppers see (the sale price, else the base price): SKU rows at it follow its changes. */
  const changePrice = (field: 'basePrice' | 'salePrice', value: string) => {
    const shown = (fields: ProductFields) => fields.salePrice || fields.basePrice;
    const before = shown(form.values);
    const after = shown({ ...form.values, [field]: value });
    if (after) setRows((current) => followPrice(current, before, after));
    form.setValue(field, value);
  };

  const generate = () => {
    const checked = validateProductDraft(draft);
    setProblems({ ...checked, skus: undefined, skuRows: {} });
    if (checked.groups.some((problem) => problem.name || problem.values)) return;
    setRows(
      generateSkuRows(optionGroupsOf(groups), rows, product?.skus ?? [], {
        productCode: form.values.code,
        price: form.values.salePrice || form.values.basePrice,
      }),
    );
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const fieldsValid = form.check();
    const checked = validateProductDraft(draft);
    setProblems(checked);
    if (fieldsValid && !hasErrors(checked)) save.mutate();
  };

  const stale = isApiError(save.error) && save.error.code === 'stale-version';
  const leaves = leafCategories(categories.data ?? []);

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="product-form-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <Title id="product-form-title" order={1} size="h2">
            {product ? product.name : t('adminCatalog.editor.newTitle')}
          </Title>
          {stale ? (
            <Alert color="orange" variant="light" title={t('adminCatalog.editor.staleTitle')} role="alert">
              <Text size="sm">{t('adminCatalog.editor.staleText')}</Text>
              <Button
                size="xs"
                mt="sm"
                variant="light"
                color="orange"
                onClick={() => product && void queryClient.invalidateQueries(adminProductQuery(product.id))}
              >
                {t('adminCatalog.editor.loadLatest')}
              </Button>
            </Alert>
          ) : (
            <ApiErrorAlert error={save.error} title={t('adminCatalog.editor.saveFailed')} />
          )}

          <Group grow align="flex-start">
            <TextInput label={t('adminCatalog.editor.name')} autoComplete="off" {...form.field('name')} />
            <TextInput
              label={t('adminCatalog.editor.code')}
              description={
                form.errors.code ? undefined : t('adminCatalog.editor.codeHint', { rule: codeRule() })
              }
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              autoComplete="off"
              {...form.field('code')}
            />
          </Group>
          <Group grow align="flex-start">
            <NumberInput
              label={t('adminCatalog.editor.basePrice')}
              value={form.values.basePrice}
              error={form.errors.basePrice}
              onChange={(value) => changePrice('basePrice', String(value))}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator=","
              hideControls
            />
            <NumberInput
              label={t('adminCatalog.editor.salePrice')}
              description={form.errors.salePrice ? undefined : t('adminCatalog.editor.salePriceHint')}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              value={form.values.salePrice}
              error={form.errors.salePrice}
              onChange={(value) => changePrice('salePrice', String(value))}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator=","
              hideControls
            />
          </Group>
          <Group align="flex-end">
            <NativeSelect
              label={t('adminCatalog.editor.status')}
              value={form.values.status}
              onChange={(event) => form.setValue('status', event.currentTarget.value as ProductStatus)}
              data={PRODUCT_STATUSES.map((status) => ({
                value: status,
                label: t(`status.product.${status}`),
              }))}
              w={180}
            />
            <Switch
              label={t('adminCatalog.editor.displayed')}
              checked={form.values.displayed === 'true'}
              onChange={(event) => form.setValue('displayed', event.currentTarget.checked ? 'true' : 'false')}
              mb={8}
            />
          </Group>
          <MultiSelect
            label={t('adminCatalog.editor.categories')}
            description={t('adminCatalog.editor.categoriesHint')}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            placeholder={categoryIds.length ? undefined : t('adminCatalog.editor.categoriesPlaceholder')}
            data={leaves.map(({ category, path }) => ({
              value: String(category.id),
              label: path.join(' › '),
            }))}
            value={categoryIds}
            onChange={setCategoryIds}
            error={problems?.categories}
            maxValues={5}
            searchable
            nothingFoundMessage={t('adminCatalog.editor.noCategory')}
            hidePickedOptions
          />
          <Textarea
            label={t('adminCatalog.editor.description')}
            description={t('adminCatalog.editor.descriptionHint')}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            autosize
            minRows={4}
            maxRows={14}
            {...form.field('description')}
            onChange={(event) => form.setValue('description', event.currentTarget.value)}
          />

          <Divider label={t('adminCatalog.editor.images')} labelPosition="left" />
          <ProductImagesField images={images} error={problems?.images} onChange={setImages} />

          <Divider label={t('adminCatalog.editor.optionsAndSkus')} labelPosition="left" />
          <OptionGroupsEditor groups={groups} errors={problems?.groups} onChange={setGroups} />
          <SkusHeader error={problems?.skus} onGenerate={generate} />
          {rows.length > 0 && (
            <SkuTable
              groups={optionGroupsOf(groups)}
              rows={rows}
              savedSkus={product?.skus ?? []}
              errors={problems?.skuRows}
              onChange={setRows}
            />
          )}

          <Group>
            <Button type="submit" loading={save.isPending}>
              {product ? t('common.save') : t('adminCatalog.editor.create')}
            </Button>
            {problems && hasErrors(problems) && (
              <Text size="sm" c="red" role="alert">
                {t('adminCatalog.editor.checkFields')}
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
