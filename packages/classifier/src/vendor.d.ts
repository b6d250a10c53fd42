// Types for the CommonJS submodules of natural that Radar imports one by one (importing
// 'natural' itself prints on stdout and loads database clients).
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}
declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/classifiers/bayes_classifier.js' {
  interface ApparatusBayes {
    classFeatures: Record<string, Record<string, number>>;
    classTotals: Record<string, number>;
    totalExamples: number;
    smoothing: number;
    addExample(observation: Record<number, string>, label: string): void;
    getClassifications(observation: Record<number, string>): { label: string; value: number }[];
  }
  class BayesClassifier {
    constructor(stemmer?: unknown, smoothing?: number);
    classifier: ApparatusBayes;
  }
  export default BayesClassifier;
}
