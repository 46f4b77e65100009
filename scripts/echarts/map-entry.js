// map-entry.js is the bundle of the map page (/map): everything entry.js
// has, plus the choropleth's parts. It is a second, separate bundle so
// that the other pages (the overview's first visit is held to 250 KB)
// never load them; the map page loads this one instead of
// echarts.custom.min.js, never both.
import { use } from 'echarts/core';
import { MapChart } from 'echarts/charts';
import {
  GeoComponent, // the map series draws on a geo coordinate system
  VisualMapComponent, // the legend: value -> colour (continuous)
} from 'echarts/components';

use([MapChart, GeoComponent, VisualMapComponent]);

export * from './entry.js';
