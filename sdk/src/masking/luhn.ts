/** Whether a string of ASCII digits passes the Luhn check that every payment card number carries. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0
  for (let i = digits.length - 1, odd = false; i >= 0; i--, odd = !odd) {
    let d = digits.charCodeAt(i) - 48
    if (odd && (d *= 2) > 9) d -= 9
    sum += d
  }
  return sum % 10 === 0
}
