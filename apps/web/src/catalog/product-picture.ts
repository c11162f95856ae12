// Product pictures drawn from a product's kind and colour. The drawing is shared with product-service
// (@sagamart/contracts/picture), which answers it as the thumbnail of a product with no uploaded image,
// so an order's lines keep the picture the shopper saw in the cart.
export {
  colourOf,
  type PictureKind,
  pictureKind,
  productPictureSvg,
  productPictureUrl,
  swatchOf,
} from '@sagamart/contracts/picture';
