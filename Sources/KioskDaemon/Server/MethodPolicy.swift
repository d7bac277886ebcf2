import KioskCore
import KioskProtocol

/// Which roles may call which method (contract: a method outside the role answers `forbidden`).
/// `admin` may call everything.
enum MethodPolicy {
    static let everyone: Set<Role> = Set(Role.allCases)

    static func roles(for method: Method) -> Set<Role> {
        switch method {
        case .sessionHello, .daemonStatus, .queueCategories, .queueTicket, .queueWaiting, .windowList, .statsDay,
            .eventsSubscribe, .deviceList, .deviceStatus, .screenList:
            return everyone
        case .queueTake, .queuePrintTicket, .appointmentBook:
            return [.kiosk, .counter, .admin]
        case .queueCall, .queueRecall, .queueStart, .queueFinish, .queueNoShow, .queueRequeue, .queueTransfer,
            .queueCancel, .windowOpen, .windowClose, .windowPause, .evaluationSubmit:
            return [.counter, .admin]
        case .idcardRead:
            return [.kiosk, .technician, .admin]
        case .deviceTest, .simCard, .simPrinter, .voiceSay, .voiceTest:
            return [.technician, .admin]
        case .certSubmit:
            return [.approval, .admin]
        case .certGet, .certList:
            return [.approval, .operator, .technician, .admin]
        case .certRelease, .certReprint, .certShip, .certVoid:
            return [.operator, .admin]
        case .certPending, .certPickup:
            return [.kiosk, .admin]
        case .certVerify, .certPubkey:
            return everyone
        case .auditVerify, .auditTail:
            return [.operator, .technician, .admin]
        }
    }

    static func allows(_ role: Role?, _ method: Method) -> Bool {
        guard let role else { return method == .sessionHello }
        return role == .admin || roles(for: method).contains(role)
    }
}
