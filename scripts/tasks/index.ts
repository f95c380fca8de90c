// Every task file is imported here; hardhat.config.ts imports this index. Task files may only `import type`
// from typechain-types (the types do not exist before the first compile).
import "./tenge";
import "./stablecoin";
import "./gold";
import "./programs";
import "./vat";
import "./offline";
