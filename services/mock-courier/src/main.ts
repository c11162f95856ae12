import { runService } from '@sagamart/kit';
import service from './index.ts';

void runService(service);
