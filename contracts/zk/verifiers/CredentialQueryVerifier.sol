// SPDX-License-Identifier: GPL-3.0
/*
    Copyright 2021 0KIMS association.

    This file is generated with [snarkJS](https://github.com/iden3/snarkjs).

    snarkJS is a free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by
    the Free Software Foundation, either version 3 of the License, or
    (at your option) any later version.

    snarkJS is distributed in the hope that it will be useful, but WITHOUT
    ANY WARRANTY; without even the implied warranty of MERCHANTABILITY
    or FITNESS FOR A PARTICULAR PURPOSE. See the GNU General Public
    License for more details.

    You should have received a copy of the GNU General Public License
    along with snarkJS. If not, see <https://www.gnu.org/licenses/>.
*/

pragma solidity >=0.7.0 <0.9.0;

contract CredentialQueryVerifier {
    // Scalar field size
    uint256 constant r    = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    // Base field size
    uint256 constant q   = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    // Verification Key data
    uint256 constant alphax  = 4242603850920200323442806253726721774793189213045583531131081892961567090747;
    uint256 constant alphay  = 16782484953067411969218236740881810896275264749597102885394475161761054545506;
    uint256 constant betax1  = 1340696556449973501345607458122870891762963248640677866799052552146198116302;
    uint256 constant betax2  = 967517091279579112450874122084826800469099244692141261940513261502819942911;
    uint256 constant betay1  = 21232491737507204932235357730490716299370145668759874112371379223989145116322;
    uint256 constant betay2  = 842482892861770121510595311162496123602517331679082006027474990499170762082;
    uint256 constant gammax1 = 11559732032986387107991004021392285783925812861821192530917403151452391805634;
    uint256 constant gammax2 = 10857046999023057135944570762232829481370756359578518086990519993285655852781;
    uint256 constant gammay1 = 4082367875863433681332203403145435568316851327593401208105741076214120093531;
    uint256 constant gammay2 = 8495653923123431417604973247489272438418190587263600148770280649306958101930;
    uint256 constant deltax1 = 7822152455958575358752676872887987288840161115591916331826099209953828923886;
    uint256 constant deltax2 = 4131244535956542043171263314747913930038393406367487698362940582099406918660;
    uint256 constant deltay1 = 1740030578891144043716053389603592047651328691509989061516596602511968718792;
    uint256 constant deltay2 = 15201771142018644574404231429042571523142756308941373922989606291348794651270;

    
    uint256 constant IC0x = 17763920981133726303297647531050930158789972540420680520216711118458697703486;
    uint256 constant IC0y = 4154426454881695996636463688376562513041255629154972429300306461561067846045;
    
    uint256 constant IC1x = 11428715788037055578696882447377579526731882551196878685398229139934058947654;
    uint256 constant IC1y = 11128716725448499891217293604197598632384555079898298191631860616002980859179;
    
    uint256 constant IC2x = 21239228612046895807020800160825228392008469138069568854315377513453585091349;
    uint256 constant IC2y = 3503928668035616295954655389517965470892711310345373369061332885579756115928;
    
    uint256 constant IC3x = 15761584656037208900993945272198506783149224576231464828518168081022820786872;
    uint256 constant IC3y = 13115488841548318318063547700205681000283228516714775259210898376516250709805;
    
    uint256 constant IC4x = 10067393595456099576057326374023224220346988481271353916143806858447406035491;
    uint256 constant IC4y = 4226033042360870482910521657272907991053462246197222495057644185632859903033;
    
    uint256 constant IC5x = 5644804101372575272795184524610497616208977291263571085736188945512795252495;
    uint256 constant IC5y = 8903625289873382060879230453454556200683483893936539033981100804847891107543;
    
    uint256 constant IC6x = 16937735275841153615420711967931966325967302944581129213356125793187756211163;
    uint256 constant IC6y = 5813509514298346633419223207954058057142454453449265955379196985009210243186;
    
    uint256 constant IC7x = 18876568389453063324147710451733363876116189077857496074086643565658155460138;
    uint256 constant IC7y = 19757252533658398303071602627291623977201016537448323104202877437346178344269;
    
    uint256 constant IC8x = 6774480077884410343649400556505966155523205379628146438814575555046165125499;
    uint256 constant IC8y = 907472779297039684345546708641690401474326872295377332164830176888717679873;
    
    uint256 constant IC9x = 15905173223886242531903952054888185170996154207097587582438427787583830322587;
    uint256 constant IC9y = 13722665757136755288226593438519489722539483657506293856499648559466781864;
    
    uint256 constant IC10x = 19508153336305966496713675262448185507268694984869968947551748405339849577618;
    uint256 constant IC10y = 5729699442409048717776616227120474262872728357193364993231373986801251753992;
    
    uint256 constant IC11x = 18684188852936956661026956331483251935727199224452281603913731127888317683326;
    uint256 constant IC11y = 3593365223942136546450978065751302410550834210015565519844896914365454883267;
    
    uint256 constant IC12x = 10351018005062149584677063323578895441894869883131614320031706898782459106944;
    uint256 constant IC12y = 15865717866163553784779110253417178858803133427473091487517151331436959089731;
    
    uint256 constant IC13x = 16060532838143998015199241692668988592350777841635443970005596659717710809749;
    uint256 constant IC13y = 11967627130282438875598691199117687279936595941414313140618994601369007176357;
    
    uint256 constant IC14x = 12737252414234785125478764686557954544701385083150965596609837909556562286622;
    uint256 constant IC14y = 6828523271373187695422714563463698631212427855491239989040362461109922370724;
    
    uint256 constant IC15x = 15863551708211019036400076193468581122857185191503274048039517169105739992615;
    uint256 constant IC15y = 14037509111043030651792039670754755284664241228923012715816993390569548677503;
    
    uint256 constant IC16x = 8905823225384678818077502241013333161460179700641236918599105293242041428518;
    uint256 constant IC16y = 16206756209353883367394145980532997420693427071184256702371915342253314037759;
    
    uint256 constant IC17x = 11562373945625957733557343430101042405712083158576058152612314358254002986355;
    uint256 constant IC17y = 20961452024826661148121634267046652215420013191757791959130100035948961285028;
    
    uint256 constant IC18x = 3849425234724731576212201347728724320369838510987446670928728776384937408679;
    uint256 constant IC18y = 20450162980362164521958679259744492301414504558319002944798015072125037903603;
    
    uint256 constant IC19x = 5234172848723262319631803469837508305913351153541272825094289236264439120994;
    uint256 constant IC19y = 20149215785043590619145899783720023988539628822719956588322458511363590884280;
    
    uint256 constant IC20x = 20597214769950089267883022480752751353482312868870776276914990317503797003882;
    uint256 constant IC20y = 16762261349774311766323607595000190828916753182612924575650310197262083978124;
    
    uint256 constant IC21x = 14715365591744728738449063331228481335459464073768179008878223225630989040167;
    uint256 constant IC21y = 21258206188774020615517277135238259294766770766567378847206715981679801235913;
    
    uint256 constant IC22x = 21506790502062895450188279488204596527225843401476396259806377722145865829440;
    uint256 constant IC22y = 6891681324535289973399221128750485667723143314245418732292242484519107510809;
    
    uint256 constant IC23x = 16627669763249988721254489340548535421047280929526530899653080121287059527318;
    uint256 constant IC23y = 14497580678258207880193667841540099431682296128998089498730412056525317053707;
    
    uint256 constant IC24x = 17533474154176903221054059519664695654525957807789636263826172870769631132485;
    uint256 constant IC24y = 18084105606339629591553071497347486187169113791847660711490190089911019536508;
    
    uint256 constant IC25x = 13044686115172753278268830200743353224877684135262592623734814767184714897671;
    uint256 constant IC25y = 530951227710369081973338557741851650719229549220737334867682199005660710271;
    
    uint256 constant IC26x = 903937233394806420991316613011787732530291502704837735898636707534268327240;
    uint256 constant IC26y = 12252923083818832256435299725879995598712376165276201406080881759830331843630;
    
    uint256 constant IC27x = 1268909011197084478607063792560990770763734535463488887826037861783403044918;
    uint256 constant IC27y = 6300431537624378599407702139542672409192836504867100184261366604456208228644;
    
 
    // Memory data
    uint16 constant pVk = 0;
    uint16 constant pPairing = 128;

    uint16 constant pLastMem = 896;

    function verifyProof(uint[2] calldata _pA, uint[2][2] calldata _pB, uint[2] calldata _pC, uint[27] calldata _pubSignals) public view returns (bool) {
        assembly {
            function checkField(v) {
                if iszero(lt(v, r)) {
                    mstore(0, 0)
                    return(0, 0x20)
                }
            }
            
            // G1 function to multiply a G1 value(x,y) to value in an address
            function g1_mulAccC(pR, x, y, s) {
                let success
                let mIn := mload(0x40)
                mstore(mIn, x)
                mstore(add(mIn, 32), y)
                mstore(add(mIn, 64), s)

                success := staticcall(sub(gas(), 2000), 7, mIn, 96, mIn, 64)

                if iszero(success) {
                    mstore(0, 0)
                    return(0, 0x20)
                }

                mstore(add(mIn, 64), mload(pR))
                mstore(add(mIn, 96), mload(add(pR, 32)))

                success := staticcall(sub(gas(), 2000), 6, mIn, 128, pR, 64)

                if iszero(success) {
                    mstore(0, 0)
                    return(0, 0x20)
                }
            }

            function checkPairing(pA, pB, pC, pubSignals, pMem) -> isOk {
                let _pPairing := add(pMem, pPairing)
                let _pVk := add(pMem, pVk)

                mstore(_pVk, IC0x)
                mstore(add(_pVk, 32), IC0y)

                // Compute the linear combination vk_x
                
                g1_mulAccC(_pVk, IC1x, IC1y, calldataload(add(pubSignals, 0)))
                
                g1_mulAccC(_pVk, IC2x, IC2y, calldataload(add(pubSignals, 32)))
                
                g1_mulAccC(_pVk, IC3x, IC3y, calldataload(add(pubSignals, 64)))
                
                g1_mulAccC(_pVk, IC4x, IC4y, calldataload(add(pubSignals, 96)))
                
                g1_mulAccC(_pVk, IC5x, IC5y, calldataload(add(pubSignals, 128)))
                
                g1_mulAccC(_pVk, IC6x, IC6y, calldataload(add(pubSignals, 160)))
                
                g1_mulAccC(_pVk, IC7x, IC7y, calldataload(add(pubSignals, 192)))
                
                g1_mulAccC(_pVk, IC8x, IC8y, calldataload(add(pubSignals, 224)))
                
                g1_mulAccC(_pVk, IC9x, IC9y, calldataload(add(pubSignals, 256)))
                
                g1_mulAccC(_pVk, IC10x, IC10y, calldataload(add(pubSignals, 288)))
                
                g1_mulAccC(_pVk, IC11x, IC11y, calldataload(add(pubSignals, 320)))
                
                g1_mulAccC(_pVk, IC12x, IC12y, calldataload(add(pubSignals, 352)))
                
                g1_mulAccC(_pVk, IC13x, IC13y, calldataload(add(pubSignals, 384)))
                
                g1_mulAccC(_pVk, IC14x, IC14y, calldataload(add(pubSignals, 416)))
                
                g1_mulAccC(_pVk, IC15x, IC15y, calldataload(add(pubSignals, 448)))
                
                g1_mulAccC(_pVk, IC16x, IC16y, calldataload(add(pubSignals, 480)))
                
                g1_mulAccC(_pVk, IC17x, IC17y, calldataload(add(pubSignals, 512)))
                
                g1_mulAccC(_pVk, IC18x, IC18y, calldataload(add(pubSignals, 544)))
                
                g1_mulAccC(_pVk, IC19x, IC19y, calldataload(add(pubSignals, 576)))
                
                g1_mulAccC(_pVk, IC20x, IC20y, calldataload(add(pubSignals, 608)))
                
                g1_mulAccC(_pVk, IC21x, IC21y, calldataload(add(pubSignals, 640)))
                
                g1_mulAccC(_pVk, IC22x, IC22y, calldataload(add(pubSignals, 672)))
                
                g1_mulAccC(_pVk, IC23x, IC23y, calldataload(add(pubSignals, 704)))
                
                g1_mulAccC(_pVk, IC24x, IC24y, calldataload(add(pubSignals, 736)))
                
                g1_mulAccC(_pVk, IC25x, IC25y, calldataload(add(pubSignals, 768)))
                
                g1_mulAccC(_pVk, IC26x, IC26y, calldataload(add(pubSignals, 800)))
                
                g1_mulAccC(_pVk, IC27x, IC27y, calldataload(add(pubSignals, 832)))
                

                // -A
                mstore(_pPairing, calldataload(pA))
                mstore(add(_pPairing, 32), mod(sub(q, calldataload(add(pA, 32))), q))

                // B
                mstore(add(_pPairing, 64), calldataload(pB))
                mstore(add(_pPairing, 96), calldataload(add(pB, 32)))
                mstore(add(_pPairing, 128), calldataload(add(pB, 64)))
                mstore(add(_pPairing, 160), calldataload(add(pB, 96)))

                // alpha1
                mstore(add(_pPairing, 192), alphax)
                mstore(add(_pPairing, 224), alphay)

                // beta2
                mstore(add(_pPairing, 256), betax1)
                mstore(add(_pPairing, 288), betax2)
                mstore(add(_pPairing, 320), betay1)
                mstore(add(_pPairing, 352), betay2)

                // vk_x
                mstore(add(_pPairing, 384), mload(add(pMem, pVk)))
                mstore(add(_pPairing, 416), mload(add(pMem, add(pVk, 32))))


                // gamma2
                mstore(add(_pPairing, 448), gammax1)
                mstore(add(_pPairing, 480), gammax2)
                mstore(add(_pPairing, 512), gammay1)
                mstore(add(_pPairing, 544), gammay2)

                // C
                mstore(add(_pPairing, 576), calldataload(pC))
                mstore(add(_pPairing, 608), calldataload(add(pC, 32)))

                // delta2
                mstore(add(_pPairing, 640), deltax1)
                mstore(add(_pPairing, 672), deltax2)
                mstore(add(_pPairing, 704), deltay1)
                mstore(add(_pPairing, 736), deltay2)


                let success := staticcall(sub(gas(), 2000), 8, _pPairing, 768, _pPairing, 0x20)

                isOk := and(success, mload(_pPairing))
            }

            let pMem := mload(0x40)
            mstore(0x40, add(pMem, pLastMem))

            // Validate that all evaluations ∈ F
            
            checkField(calldataload(add(_pubSignals, 0)))
            
            checkField(calldataload(add(_pubSignals, 32)))
            
            checkField(calldataload(add(_pubSignals, 64)))
            
            checkField(calldataload(add(_pubSignals, 96)))
            
            checkField(calldataload(add(_pubSignals, 128)))
            
            checkField(calldataload(add(_pubSignals, 160)))
            
            checkField(calldataload(add(_pubSignals, 192)))
            
            checkField(calldataload(add(_pubSignals, 224)))
            
            checkField(calldataload(add(_pubSignals, 256)))
            
            checkField(calldataload(add(_pubSignals, 288)))
            
            checkField(calldataload(add(_pubSignals, 320)))
            
            checkField(calldataload(add(_pubSignals, 352)))
            
            checkField(calldataload(add(_pubSignals, 384)))
            
            checkField(calldataload(add(_pubSignals, 416)))
            
            checkField(calldataload(add(_pubSignals, 448)))
            
            checkField(calldataload(add(_pubSignals, 480)))
            
            checkField(calldataload(add(_pubSignals, 512)))
            
            checkField(calldataload(add(_pubSignals, 544)))
            
            checkField(calldataload(add(_pubSignals, 576)))
            
            checkField(calldataload(add(_pubSignals, 608)))
            
            checkField(calldataload(add(_pubSignals, 640)))
            
            checkField(calldataload(add(_pubSignals, 672)))
            
            checkField(calldataload(add(_pubSignals, 704)))
            
            checkField(calldataload(add(_pubSignals, 736)))
            
            checkField(calldataload(add(_pubSignals, 768)))
            
            checkField(calldataload(add(_pubSignals, 800)))
            
            checkField(calldataload(add(_pubSignals, 832)))
            

            // Validate all evaluations
            let isValid := checkPairing(_pA, _pB, _pC, _pubSignals, pMem)

            mstore(0, isValid)
             return(0, 0x20)
         }
     }
 }
