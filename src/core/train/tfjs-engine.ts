import type { Flow } from "../flow/flow"; import type { TrainingEngine } from "./engine"; export async function createTfjsEngine(_flow: Flow): Promise<TrainingEngine> { throw new Error("todo"); }
