// The spatial layers' kernels: convolution (im2col, col2im, bias), pooling, batch normalization.
export * from "./conv";
export * from "./pool";
export * from "./batchnorm";
