import { runService } from '@sagamart/kit';
import service from './index.ts';

await runService(service);
