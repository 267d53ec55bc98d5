export { RulesPreview } from './components/rules-preview.tsx';
