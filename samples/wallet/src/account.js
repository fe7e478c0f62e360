// One account's balance, in cents. The Worker calls these methods over JS RPC; an error thrown
// here reaches the Worker as the same error type with the same message.
import { DurableObject } from "cloudflare:workers";

export class Account extends DurableObject {
  async balance() {
    return (await this.ctx.storage.get("balance")) ?? 0;
  }

  async deposit(amount) {
    checkAmount(amount);
    const balance = (await this.balance()) + amount;
    await this.ctx.storage.put("balance", balance);
    return balance;
  }

  // Storage calls keep other events out until they return (the input gate), so two withdrawals
  // can never both pass the check against the same balance.
  async withdraw(amount) {
    checkAmount(amount);
    const balance = await this.balance();
    if (amount > balance) {
      throw new RangeError(`Insufficient funds: the balance is ${balance}, the withdrawal ${amount}.`);
    }
    await this.ctx.storage.put("balance", balance - amount);
    return balance - amount;
  }
}

function checkAmount(amount) {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new TypeError(`The amount must be a positive whole number of cents, not ${amount}.`);
  }
}
