/// What a caller keypad (呼叫器) or evaluator (评价器) reports, decoded from its frame: the
/// vocabulary the hall services react to, so they never see function codes.
extension Keypad68 {
    public enum Key: Sendable, Equatable, Hashable {
        /// 0C: call the next ticket (叫号).
        case callNext
        /// 0D: call the current ticket again (重呼).
        case recall
        /// 0E: start serving the called ticket.
        case start
        /// 0F: finish serving it.
        case finish
        /// 10: the called person did not come (过号).
        case noShow
        /// 12: pause the window (暂停服务).
        case pause
        /// 13: resume after a pause.
        case resume
        /// 11: the citizen's rating on the evaluator, 1 (worst) … 5 (best).
        case evaluation(score: UInt8)

        /// The key a device frame reports; nil for a function code that is not a key (including
        /// the host's display function) and for an evaluation whose first data byte is missing or
        /// outside 1…5. Data after the bytes a key needs is ignored, since models may append
        /// their own (a window number, a sequence counter).
        public init?(_ frame: Frame) {
            guard let function = Function(rawValue: frame.function) else { return nil }
            switch function {
            case .callNext: self = .callNext
            case .recall: self = .recall
            case .start: self = .start
            case .finish: self = .finish
            case .noShow: self = .noShow
            case .pause: self = .pause
            case .resume: self = .resume
            case .evaluation:
                guard let score = frame.data.first, (1...5).contains(score) else { return nil }
                self = .evaluation(score: score)
            case .display: return nil
            }
        }

        /// The function code of this key.
        public var function: Function {
            switch self {
            case .callNext: .callNext
            case .recall: .recall
            case .start: .start
            case .finish: .finish
            case .noShow: .noShow
            case .pause: .pause
            case .resume: .resume
            case .evaluation: .evaluation
            }
        }

        /// The frame a device at `address` sends for this key, for simulated keypads.
        public func frame(address: UInt8) -> Frame {
            switch self {
            case .evaluation(let score): Frame(address: address, function: .evaluation, data: [score])
            default: Frame(address: address, function: function)
            }
        }
    }
}
