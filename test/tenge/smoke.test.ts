import { expect } from "chai";
import { loadFixture } from "../helpers/fixture";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";

describe("DigitalTenge fixture", function () {
  it("leaves bank A with 12,000 KZT outstanding and total supply 17,000 KZT", async function () {
    const { tenge, banks } = await loadFixture(tengeFixture);
    expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("12000"));
    expect(await tenge.totalSupply()).to.equal(kzt("17000"));
  });
});
