extension IDCard {
    /// The card the queue uses, from a parsed text block.
    ///
    /// Throws for the 2017 foreign permanent residence card: its 15-character number has no
    /// 18-digit form, and the daemon keys holders (card tokens, person keys) on `IDNumber`.
    public init(_ text: IDCardText) throws(IDCardTextError) {
        guard let idNumber = text.idNumber else {
            throw .badField(
                field: "cardNumber",
                reason: "a 15-character foreign permanent residence card number cannot be used as an ID number")
        }
        self.init(
            name: text.name, sex: text.sex, nation: text.nation, birthDate: text.birthDate,
            address: text.address, idNumber: idNumber, authority: text.authority,
            validFrom: text.validFrom, validTo: text.validTo, cardType: text.cardType)
    }
}
