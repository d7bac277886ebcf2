/// The 民族 code in the chip (GB/T 3304, two digits): 01–56 for the 56 ethnic groups, 97 其他
/// and 98 外国血统中国籍人士. Names as the card prints them ("汉", "蒙古"), without 族.
///
/// Verified against the table in HslCommunication `SAMSerial.GetNationText`.
public enum EthnicGroup {
    static let names: [String] = [
        "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
        "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
        "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
        "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
        "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
        "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
    ]

    /// The name for a code (1 → "汉", 97 → "其他"); nil for a code outside the standard.
    public static func name(code: Int) -> String? {
        switch code {
        case 1...56: names[code - 1]
        case 97: "其他"
        case 98: "外国血统中国籍人士"
        default: nil
        }
    }

    /// The 56 groups in code order.
    public static var all: [String] { names }
}
