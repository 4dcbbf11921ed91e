declare function structuredClone<T>(value: T): T;
