extension IDCard {
    /// The card the queue uses, from a parsed text block. Every card type has an `IDNumber`
    /// (the 2017 foreign card its 15-character one); throws only if the parser left it out.
    public init(_ text: IDCardText) throws(IDCardTextError) {
        guard let idNumber = text.idNumber else {
            throw .badField(field: "cardNumber", reason: "the card carries no usable number")
        }
        self.init(
            name: text.name, sex: text.sex, nation: text.nation, birthDate: text.birthDate,
            address: text.address, idNumber: idNumber, authority: text.authority,
            validFrom: text.validFrom, validTo: text.validTo, cardType: text.cardType)
    }
}
