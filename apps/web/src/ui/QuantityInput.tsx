import { NumberInput, type NumberInputProps } from '@mantine/core';
import { type FocusEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

type QuantityInputProps = Omit<
  NumberInputProps,
  'value' | 'onChange' | 'min' | 'max' | 'clampBehavior' | 'allowDecimal' | 'allowNegative' | 'error'
> & {
  value: number;
  /** The most that may be ordered (the stock, or one line's limit); at least 1. */
  max: number;
  /** A whole quantity from 1 to `max`: what was typed, lowered to `max` when above it. */
  onChange: (quantity: number) => void;
};

/**
 * A quantity box that takes what is typed. Mantine's strict clamp refused the keystroke that went past
 * the maximum, so with 7 in stock "10" became 1 and "50" became 5, without a word. Here a number above
 * the maximum stays in the box with "최대 N개까지 주문할 수 있습니다" (the quantity used is the maximum),
 * and the box shows the maximum once left. An empty box, or 0, goes back to the quantity on leaving.
 */
export function QuantityInput({ value, max, onChange, onBlur, description, ...props }: QuantityInputProps) {
  const { t } = useTranslation();
  // What is in the box while it is being typed in; null shows the quantity.
  const [typed, setTyped] = useState<number | string | null>(null);
  // The box was left above the maximum and brought down to it: still said, below the box.
  const [lowered, setLowered] = useState(false);
  const over = typeof typed === 'number' && typed > max;
  const maxWords = t('common.quantityMax', { max });
  return (
    <NumberInput
      {...props}
      value={typed ?? value}
      min={1}
      max={max}
      allowDecimal={false}
      allowNegative={false}
      clampBehavior="none"
      onChange={(next) => {
        setTyped(next);
        setLowered(false);
        const quantity = typeof next === 'number' ? Math.trunc(next) : Number.NaN;
        if (quantity >= 1) onChange(Math.min(quantity, max));
      }}
      onBlur={(event: FocusEvent<HTMLInputElement>) => {
        setLowered(over);
        setTyped(null);
        onBlur?.(event);
      }}
      error={over ? maxWords : undefined}
      description={lowered ? maxWords : description}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
    />
  );
}
