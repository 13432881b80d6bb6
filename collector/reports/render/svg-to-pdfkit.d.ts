// The part of svg-to-pdfkit 0.1 we use (the package ships no types).
declare module 'svg-to-pdfkit' {
  interface Options {
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    assumePt?: boolean;
    /** The name of a font registered on the document, for an SVG font-family and weight. */
    fontCallback?: (family: string, bold: boolean, italic: boolean) => string;
    /** The link an <image> opens (pdfkit's openImage: a data: URL or a path on disk). */
    imageCallback?: (link: string) => string;
    warningCallback?: (message: string) => void;
  }
  export default function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, options?: Options): void;
}
