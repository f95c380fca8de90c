import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { ZeroAddress } from "ethers";
import { loadFixture } from "../helpers/fixture";
import { tengeFixture } from "../fixtures/tenge.fixture";

describe("DigitalTenge construction", function () {
  it("reverts with DigitalTengeZeroAddress when the admin module has no code", async function () {
    const { tenge } = await loadFixture(tengeFixture);
    const factory = await ethers.getContractFactory("DigitalTenge");
    await expect(
      factory.deploy("Digital Tenge", "DKZT", ZeroAddress, await tenge.offlineModule()),
    ).to.be.revertedWithCustomError(factory, "DigitalTengeZeroAddress");
  });

  it("reverts with DigitalTengeZeroAddress when the offline module has no code", async function () {
    const { tenge, users } = await loadFixture(tengeFixture);
    const factory = await ethers.getContractFactory("DigitalTenge");
    await expect(
      factory.deploy("Digital Tenge", "DKZT", await tenge.adminModule(), users.outsider.address),
    ).to.be.revertedWithCustomError(factory, "DigitalTengeZeroAddress");
  });

  it("reverts with DigitalTengeZeroAddress when initialised with a zero central bank admin", async function () {
    const { tenge } = await loadFixture(tengeFixture);
    const factory = await ethers.getContractFactory("DigitalTenge");
    await expect(
      upgrades.deployProxy(factory, [ZeroAddress], {
        kind: "uups",
        constructorArgs: ["Digital Tenge", "DKZT", await tenge.adminModule(), await tenge.offlineModule()],
      }),
    ).to.be.revertedWithCustomError(factory, "DigitalTengeZeroAddress");
  });
});
